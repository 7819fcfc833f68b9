#!/usr/bin/env node
// Fails when src/generated/ is not what `langium generate` makes from the grammar today.
// Regenerates into a temporary directory (the checkout is never touched), twice, and checks:
//   - the committed files equal the regenerated ones (no drift, no missing or extra file);
//   - generation is deterministic (two runs are byte-identical);
//   - no generated file holds an absolute path or a timestamp.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'langium-cli';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const committedDir = join(root, 'src', 'generated');
const config = JSON.parse(await readFile(join(root, 'langium-config.json'), 'utf8'));

async function generateInto(dir) {
  const tempConfig = {
    ...config,
    out: join(dir, 'generated'),
    languages: config.languages.map((l) => ({ ...l, grammar: join(root, l.grammar) })),
  };
  const file = join(dir, 'langium-config.json');
  await writeFile(file, JSON.stringify(tempConfig));
  const ok = await quietly(() => generate({ file }));
  if (!ok) throw new Error('langium generate failed; run `npm run generate -w @hekima/grammars` to see why');
  return readAll(join(dir, 'generated'));
}

/** Runs fn with the generator's progress lines silenced (errors still go to stderr). */
async function quietly(fn) {
  const log = console.log;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}

async function readAll(dir) {
  const files = new Map();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(join(dir, name), 'utf8'));
  return files;
}

const problems = [];
const first = await mkdtemp(join(tmpdir(), 'hekima-grammars-'));
const second = await mkdtemp(join(tmpdir(), 'hekima-grammars-'));
try {
  const generated = await generateInto(first);
  const again = await generateInto(second);
  const committed = await readAll(committedDir);
  for (const [name, text] of generated) {
    if (again.get(name) !== text) problems.push(`${name}: two generations differ (the generator is not deterministic)`);
    if (text.includes(first) || text.includes(root) || text.includes(tmpdir()))
      problems.push(`${name}: contains an absolute path`);
    if (/\b20\d\d-\d\d-\d\dT\d\d:\d\d/.test(text)) problems.push(`${name}: contains a timestamp`);
    if (!committed.has(name)) problems.push(`src/generated/${name}: missing (not committed)`);
    else if (committed.get(name) !== text)
      problems.push(`src/generated/${name}: differs from what the grammar generates`);
  }
  for (const name of committed.keys())
    if (!generated.has(name)) problems.push(`src/generated/${name}: not generated any more`);
} finally {
  await rm(first, { recursive: true, force: true });
  await rm(second, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(
    `Generated code is out of date:\n  ${problems.join('\n  ')}\nRun: npm run generate -w @hekima/grammars`,
  );
  process.exit(1);
}
console.log('src/generated is up to date with the grammar.');
