#!/usr/bin/env node
// npm run bench:grammars — 10,000 parses of check expressions (Langium parser, built dist/),
// against two baselines measured in the same run on the same inputs:
//   - jsonParse: JSON.parse of each expression's syntax tree serialized as JSON (the cost of
//     merely materializing an equivalent tree from text);
//   - lexerOnly: the Chevrotain lexer alone (the part of parsing that is not tree building).
// Target: 10,000 parses under 1 s. Writes .bench/grammars-parse.json and prints the report.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCheckExpressions } from '../dist/index.js';

const PARSES = 10_000;
const RUNS = 5;
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Expressions as they appear in quality.yaml files, short to long. */
const EXPRESSIONS = [
  'failures = 0',
  'failures <= 10',
  'failures = 0 and ratio < 0.01',
  'failures <= 10 and ratio < 0.01',
  "status in ('ok', 'warn') and failures is null",
  'late_rows * 1.0 / total_rows < 0.05 or total_rows is null',
  'max_age_hours between 0 and 24',
  'not (duplicates > 0) and missing_pct <= 2.5e-2',
  '(a - b) / b between -0.1 and 0.1 and b is not null',
  'failures = 0 and ratio < 0.01 or x in (1, 2, 3) and y between 1 and 10',
];

const expressions = createCheckExpressions();
const started = performance.now();
const { Parser } = expressions.services.expressions;
const lexer = expressions.services.parser.Lexer;
Parser.parse('warm = up');
const coldMs = performance.now() - started;

const inputs = Array.from({ length: PARSES }, (_, i) => EXPRESSIONS[i % EXPRESSIONS.length]);
const jsonInputs = inputs.map((text) => JSON.stringify(plain(Parser.parse(text).ast)));
for (const text of EXPRESSIONS) if (Parser.parse(text).problems.length > 0) throw new Error(`does not parse: ${text}`);

function plain(node) {
  if (Array.isArray(node)) return node.map(plain);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => k === '$type' || !k.startsWith('$'))
      .map(([k, v]) => [k, plain(v)]),
  );
}

/** Best of RUNS timings of fn over all inputs, after one warm-up pass. */
function measure(fn, list) {
  let sink = 0;
  for (const item of list) sink += fn(item) ? 1 : 0;
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    for (const item of list) sink += fn(item) ? 1 : 0;
    best = Math.min(best, performance.now() - t0);
  }
  if (sink < 0) throw new Error('unreachable');
  return best;
}

const parseMs = measure((text) => Parser.parse(text).ast, inputs);
const jsonMs = measure((json) => JSON.parse(json), jsonInputs);
const lexMs = measure((text) => lexer.tokenize(text).tokens.length, inputs);
const round = (n, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

const report = {
  benchmark: 'grammars-parse',
  node: process.version,
  cpus: cpus().length,
  expressions: EXPRESSIONS.length,
  averageLength: round(inputs.reduce((n, t) => n + t.length, 0) / inputs.length, 1),
  parses: PARSES,
  ms: round(parseMs),
  perParseUs: round((parseMs * 1000) / PARSES),
  coldStartMs: round(coldMs),
  baseline: {
    jsonParse: { ms: round(jsonMs), ratio: round(parseMs / jsonMs) },
    lexerOnly: { ms: round(lexMs), ratio: round(parseMs / lexMs) },
  },
  target: { parsesUnderMs: 1000, met: parseMs < 1000 },
};
const benchDir = join(root, '.bench');
await mkdir(benchDir, { recursive: true });
await writeFile(join(benchDir, 'grammars-parse.json'), JSON.stringify(report, null, 2) + '\n');
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
