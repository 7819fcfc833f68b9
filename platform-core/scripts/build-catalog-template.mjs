#!/usr/bin/env node
// Builds the embedded catalog template (a PGlite data folder already initialised and migrated)
// into platform-core/dist/catalog-template/, so a new workspace's `.hekima/catalog` is a file
// extraction instead of seconds of initdb. Run after `tsc -b` (it loads dist/). Skips the work
// when a template with the current key (PGlite version + migration checksums + schema) exists.
//   --force        rebuild anyway
//   --gzip         write a gzip tarball (~8x smaller, opens no faster) instead of a plain one
import { performance } from 'node:perf_hooks';

const { buildCatalogTemplate } = await import('../dist/adapters/postgres/build-catalog-template.js').catch((e) => {
  process.stderr.write(`build-catalog-template: run \`tsc -b\` first (${e.message})\n`);
  process.exit(1);
});

const started = performance.now();
const result = await buildCatalogTemplate({
  force: process.argv.includes('--force'),
  compression: process.argv.includes('--gzip') ? 'gzip' : 'none',
  prune: true,
});
const ms = Math.round(performance.now() - started);
const size = `${(result.bytes / 1048576).toFixed(1)} MB`;
process.stdout.write(
  result.built
    ? `catalog template ${result.file} built (${size}, ${ms} ms)\n`
    : `catalog template ${result.file} is up to date\n`,
);
if (result.pruned.length > 0) process.stdout.write(`removed stale: ${result.pruned.join(', ')}\n`);
