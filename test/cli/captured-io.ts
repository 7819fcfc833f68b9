import type { CliIO } from '@hekima/platform-core';

/** A CLI's IO writing into memory (not a TTY): `stdout()` / `stderr()` read what was written. */
export function capturedIo(cwd: string, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: { write: (t: string) => out.push(t), isTTY: false },
    stderr: { write: (t: string) => err.push(t), isTTY: false },
    cwd,
    env,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}
