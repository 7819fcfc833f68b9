#!/usr/bin/env node
// `hekima run --json --workspace DIR` from the build, exactly as the binary runs it, except that the
// process kills itself with SIGKILL (a real crash: no finally block, no rollback, no exit handler)
// when the product named by HEKIMA_TEST_CRASH_AT has written its snapshot and not yet committed it.
import { createPlatform } from '../../platform-core/dist/composition.js';
import { runRun } from '../../platform-core/dist/cli/commands/run.js';

const at = process.env.HEKIMA_TEST_CRASH_AT;
const workspace = process.argv[process.argv.indexOf('--workspace') + 1];
if (!at || !workspace || process.argv.indexOf('--workspace') < 0) {
  process.stderr.write('usage: HEKIMA_TEST_CRASH_AT=<product> e2e-crash-run.mjs --workspace DIR\n');
  process.exit(64);
}
const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
const hooks = {
  beforeCommit: async (product) => {
    if (product !== at) return;
    process.stderr.write(`e2e-crash-run: SIGKILL before the commit of ${product}\n`);
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {}); // never resumes: the signal ends the process
  },
};
// One product at a time: customers commits before outlets crashes (what the test inspects).
runRun(createPlatform(), io, undefined, { workspace, json: true, concurrency: '1' }, hooks).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`e2e-crash-run: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
