import { CONNECTION_TYPES, type ConnectionType } from '../../domain/manifest/schemas/workspace-config.js';
import { WORKSPACE_CONFIG_FILE } from '../../domain/manifest/kinds.js';
import { isHekimaError, notFound } from '../../domain/errors.js';
import { resolveConfigSecrets } from '../../domain/ingestion/resolve-connection.js';
import type { Connectors } from '../../ports/connector.js';
import type { DocumentParser } from '../../ports/source-document.js';
import type { WorkspaceFiles } from '../../ports/workspace-files.js';
import type { ConnectionSettings } from './ingest.js';
import { readWorkspaceConfigText } from '../workspace/workspace-tenant.js';

export interface ConnectionTestDeps {
  readonly files: WorkspaceFiles;
  readonly parser: DocumentParser;
  readonly connectors: Connectors;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type ConnectionTestResult =
  | { readonly ok: true; readonly connection: string; readonly type: ConnectionType; readonly ms: number }
  | { readonly ok: false; readonly connection: string; readonly reason: string; readonly code: string };

/** The connections of the workspace's hekima.yaml (secrets still as env:NAME). */
export async function workspaceConnections(
  deps: Pick<ConnectionTestDeps, 'files' | 'parser'>,
): Promise<ConnectionSettings[]> {
  const text = await readWorkspaceConfigText(deps.files);
  if (text === undefined) return [];
  const value = deps.parser.parse(text).value as { connections?: unknown } | undefined;
  const list = Array.isArray(value?.connections) ? (value.connections as unknown[]) : [];
  return list.flatMap((raw) => {
    const c = raw as { name?: unknown; type?: unknown; config?: unknown };
    if (typeof c.name !== 'string' || !(CONNECTION_TYPES as readonly unknown[]).includes(c.type)) return [];
    const config = c.config !== null && typeof c.config === 'object' ? (c.config as Record<string, unknown>) : {};
    return [{ name: c.name, type: c.type as ConnectionType, config }];
  });
}

/**
 * Checks that a connection of hekima.yaml is reachable (a cheap round trip with its resolved
 * secrets). Failures are results with the reason and the error code, never a secret.
 */
export async function testConnection(
  deps: ConnectionTestDeps,
  name: string,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<ConnectionTestResult> {
  const connections = await workspaceConnections(deps);
  const connection = connections.find((c) => c.name === name);
  if (!connection) {
    const known = connections.map((c) => c.name).join(', ') || 'none';
    throw notFound('connection_not_found', `No connection '${name}' in ${WORKSPACE_CONFIG_FILE} (declared: ${known}).`);
  }
  const started = now();
  try {
    const config = resolveConfigSecrets(name, connection.config ?? {}, deps.env);
    await deps.connectors.forType(connection.type).check({ name, type: connection.type, config }, signal);
    return { ok: true, connection: name, type: connection.type, ms: now() - started };
  } catch (e) {
    const code = isHekimaError(e) ? e.code : 'unreachable';
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, connection: name, reason: message.replace(`Connection '${name}': `, ''), code };
  }
}
