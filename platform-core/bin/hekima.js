#!/usr/bin/env node
import { runCli } from '../dist/cli/main.js';

const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`hekima: internal error: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
