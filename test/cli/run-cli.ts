import { runCli, createPlatform, type CliIO } from '@hekima/platform-core';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const platform = createPlatform();

/** Runs the `hekima` command in-process with captured output. */
export async function hekima(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    cwd,
    env,
  };
  const code = await runCli(argv, io, platform);
  return { code, stdout, stderr };
}
