// One measurement in a fresh process: `floor` (read + YAML.parse every manifest, one thread)
// or `cold` (full validation through platform-core). Prints JSON.
import { readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const [mode, dir] = process.argv.slice(2);

async function yamlFiles(root) {
  const out = [];
  const walk = async (d) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.name.endsWith('.yaml')) out.push(join(d, e.name));
    }
  };
  await walk(root);
  return out;
}

const started = performance.now();
let detail;
if (mode === 'floor') {
  const files = await yamlFiles(dir);
  let keys = 0;
  for (const f of files) {
    const value = parse(readFileSync(f, 'utf8'));
    keys += Object.keys(value ?? {}).length;
  }
  detail = { files: files.length, keys };
} else {
  const { createPlatform, validateWorkspace } = await import('../../platform-core/dist/index.js');
  const platform = createPlatform();
  const result = await validateWorkspace(platform.validationDeps(dir), { tier: 'full', scope: '' });
  detail = {
    products: result.productCount,
    errors: result.errors.length,
    warnings: result.warnings.length,
    firstErrors: result.errors.slice(0, 3).map((e) => `${e.code} ${e.file} ${e.message}`),
  };
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ mode, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, ...detail }) + '\n');
