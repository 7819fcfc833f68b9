// Runs several `hekima` command lines in ONE process of the built CLI (dist), in the current
// directory, and prints [{argv, code, stdout, stderr}] as JSON: cheap checks (help texts) without a
// process start per command line. Usage: node run-many.mjs '<JSON array of argv arrays>'
import { runCli } from '../../../platform-core/dist/cli/main.js';

const results = [];
for (const argv of JSON.parse(process.argv[2])) {
  const out = [];
  const err = [];
  const io = {
    stdout: { write: (t) => out.push(t), isTTY: false },
    stderr: { write: (t) => err.push(t), isTTY: false },
    cwd: process.cwd(),
    env: process.env,
  };
  const code = await runCli(argv, io);
  results.push({ argv, code, stdout: out.join(''), stderr: err.join('') });
}
process.stdout.write(JSON.stringify(results));
