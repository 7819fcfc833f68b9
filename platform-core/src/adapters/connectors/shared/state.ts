import { createHash } from 'node:crypto';
import { settingText } from '../../../domain/ingestion/resolve-connection.js';
import type { JsonValue } from '../../../domain/json.js';
import type { ConnectorState, ExtractColumn } from '../../../ports/connector.js';

/** Helpers shared by connectors for their (JSON) state and settings. */

export function stateString(state: ConnectorState | null, key: string): string | undefined {
  const v = state?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function stateColumns(columns: readonly ExtractColumn[]): JsonValue {
  return columns.map((c) => ({ name: c.name, type: c.type }));
}

/** `primary_key` as a list of columns (a string or a list in inputs.yaml). */
export function primaryKeyOf(config: Readonly<Record<string, unknown>>): string[] {
  const pk = config['primary_key'];
  if (Array.isArray(pk)) return pk.map(String);
  const text = settingText(pk);
  return text ? [text] : [];
}

/** SHA-256 (hex) of a row's values in column order: stable, and safe to keep in state. */
export function rowHash(values: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** The key of a row in a hash map: its primary-key values as JSON. */
export function keyOf(row: Readonly<Record<string, unknown>>, primaryKey: readonly string[]): string {
  return JSON.stringify(primaryKey.map((k) => row[k] ?? null));
}

export function hashMap(state: ConnectorState | null, key: string): Readonly<Record<string, string>> {
  const v = state?.[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
}
