import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global set-up: brings the build up to date before any suite runs. Most suites run the
 * TypeScript sources (vitest.config.ts aliases), but the end-to-end suites spawn the real
 * `hekima` binary from `platform-core/dist/`, and a build older than the sources would test code
 * that no longer exists. `tsc -b` is incremental (well under a second when nothing changed); a
 * build that fails stops the run with the compiler's output instead of testing a stale build.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`\`${args.join(' ')}\` failed before the tests ran:\n${stdout}${stderr}`));
      else resolve();
    });
  });
}

export default async function setup(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await run([tsc, '-b']);
  // The embedded catalog template (skips the work when one with the current key exists).
  await run(['platform-core/scripts/build-catalog-template.mjs']);
}
