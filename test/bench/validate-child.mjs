// One measurement in a fresh process: `floor` (read every file; YAML.parse every manifest on one
// thread; parse every SQL file with the parser the validator uses — DuckDB's json_serialize_sql
// on its worker thread, one batch, results JSON.parsed) or `cold` (full validation through
// platform-core). Prints JSON.
import { readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const [mode, dir] = process.argv.slice(2);

async function textFiles(root, suffix) {
  const out = [];
  const walk = async (d) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.name.endsWith(suffix)) out.push(join(d, e.name));
    }
  };
  await walk(root);
  return out;
}

const started = performance.now();
let detail;
if (mode === 'floor') {
  const { DuckDbParserThread } = await import('../../platform-core/dist/adapters/sql/duckdb/parser-thread.js');
  const thread = new DuckDbParserThread();
  const starting = thread.start();
  const files = await textFiles(dir, '.yaml');
  const sqlFiles = await textFiles(dir, '.sql');
  const sqlTexts = sqlFiles.map((f) => readFileSync(f, 'utf8'));
  await starting;
  const parsing = thread.parseMany(sqlTexts);
  let keys = 0;
  for (const f of files) {
    const value = parse(readFileSync(f, 'utf8'));
    keys += Object.keys(value ?? {}).length;
  }
  let statements = 0;
  for (const raw of await parsing) statements += JSON.parse(raw).statements?.length ?? 0;
  detail = { files: files.length, sqlFiles: sqlFiles.length, keys, statements };
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
