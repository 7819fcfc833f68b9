import { runCli, createPlatform } from '@hekima/platform-core';
import { capturedIo } from './captured-io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const platform = createPlatform();

/** Runs the `hekima` command in-process with captured output. */
export async function hekima(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const captured = capturedIo(cwd, env);
  const code = await runCli(argv, captured.io, platform);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}
