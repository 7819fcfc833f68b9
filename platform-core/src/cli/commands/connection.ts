import { jsonText } from '../../domain/typed-json.js';
import type { Platform } from '../../composition.js';
import { hasErrorKind } from '../../domain/errors.js';
import { testConnection, type ConnectionTestResult } from '../../application/ingest/test-connection.js';
import { EXIT, painter, UsageError, type CliIO } from '../output.js';
import { locateWorkspace } from '../workspace-location.js';

export interface ConnectionTestOptions {
  readonly workspace?: string;
  readonly timeout?: string;
  readonly json?: boolean;
}

/**
 * `hekima connection test <name> [--workspace DIR] [--timeout SECONDS] [--json]`: checks that a
 * connection of hekima.yaml is reachable. `OK Connection 'x' is reachable` (exit 0) or
 * `FAIL Connection 'x': <reason>` (exit 1). Secrets come from the environment (`env:NAME`).
 */
export async function runConnectionTest(
  platform: Platform,
  io: CliIO,
  name: string,
  options: ConnectionTestOptions,
): Promise<number> {
  const target = { root: locateWorkspace(io, options.workspace) };
  const seconds = Number(options.timeout ?? 30);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  const signal = AbortSignal.timeout(seconds * 1000);
  let result: ConnectionTestResult;
  try {
    result = await testConnection(
      {
        files: platform.validationDeps(target.root).files,
        parser: platform.parser,
        connectors: platform.connectors(target.root),
        env: io.env,
      },
      name,
      signal,
    );
  } catch (e) {
    if (!hasErrorKind(e, 'NotFound')) throw e;
    result = { ok: false, connection: name, reason: e.message, code: e.code };
  }
  if (!result.ok && signal.aborted) result = { ...result, reason: `timeout after ${seconds}s`, code: 'timeout' };
  if (options.json) io.stdout.write(jsonText(result));
  else {
    const paint = painter(io);
    io.stdout.write(
      result.ok
        ? `${paint('green', 'OK')} Connection '${name}' is reachable\n`
        : `${paint('red', 'FAIL')} Connection '${name}': ${result.reason}\n`,
    );
  }
  return result.ok ? EXIT.ok : EXIT.findings;
}
