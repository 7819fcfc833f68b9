#!/usr/bin/env node
import { runCli } from '../dist/cli/main.js';
import { invocationCwd } from '../dist/cli/invocation-cwd.js';

const cwd = invocationCwd(process.cwd(), process.env);
const io = { stdout: process.stdout, stderr: process.stderr, cwd, env: process.env };
runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`hekima: internal error: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
