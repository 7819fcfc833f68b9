import type pg from 'pg';
import { join } from 'node:path';
import { invalidArgument, schemaIncompatible, throwIfAborted } from '../../../domain/errors.js';
import { settingText } from '../../../domain/ingestion/resolve-connection.js';
import type { JsonObject } from '../../../domain/json.js';
import {
  DIFF_OP_COLUMN,
  type Connector,
  type Extract,
  type ExtractColumn,
  type ExtractRequest,
  type ResolvedConnection,
} from '../../../ports/connector.js';
import { extractPath, jsonLinesToParquet, writeJsonLines } from '../shared/extract-writer.js';
import { hashMap, keyOf, primaryKeyOf, rowHash, stateColumns, stateString } from '../shared/state.js';
import { columnsOf, connect, pgError, quoteIdent, sourceOf } from './pg-source.js';
import { createHash } from 'node:crypto';

const BATCH = 5000;
type Row = Record<string, string | null>;

/**
 * PostgreSQL through pg, in one REPEATABLE READ, READ ONLY transaction read with a server-side
 * cursor (batches of 5,000 rows):
 * - incremental: `WHERE cursor_field > $hwm ORDER BY cursor_field`; state = the new high-water
 *   mark (text); mode `upsert` by primary_key (or `append` without one);
 * - full_refresh: every row; state = snapshot hash; mode `replace`;
 * - snapshot_diff: every row hashed and compared with the previous run's hashes (by primary
 *   key); the extract holds only inserted, updated and deleted rows (`__hekima_op`).
 */
export class PostgresConnector implements Connector {
  readonly type = 'postgres' as const;

  async check(connection: ResolvedConnection, signal: AbortSignal): Promise<void> {
    const client = await connect(connection, signal);
    try {
      await client.query('SELECT 1');
    } catch (e) {
      throw pgError(e, connection.name, signal);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async extract(request: ExtractRequest): Promise<Extract> {
    const { connection, input, state, signal } = request;
    const from = sourceOf(input.config, input.id);
    const primaryKey = primaryKeyOf(input.config);
    const cursorField = settingText(input.config['cursor_field']);
    const strategy = input.strategy;
    if (strategy === 'incremental' && !cursorField)
      throw invalidArgument('ingestion_config_missing', `Input "${input.id}" needs ingestion_config.cursor_field.`);
    if (strategy === 'snapshot_diff' && primaryKey.length === 0)
      throw invalidArgument('ingestion_config_missing', `Input "${input.id}" needs ingestion_config.primary_key.`);
    const previous = stateString(state, 'cursor');
    let sql = `SELECT * FROM ${from}`;
    const params: string[] = [];
    if (strategy === 'incremental' && cursorField) {
      if (previous !== undefined) {
        sql += ` WHERE ${quoteIdent(cursorField)} > $1`;
        params.push(previous);
      }
      sql += ` ORDER BY ${quoteIdent(cursorField)}`;
    } else if (primaryKey.length > 0) sql += ` ORDER BY ${primaryKey.map(quoteIdent).join(', ')}`;
    const client = await connect(connection, signal);
    const jsonl = join(request.workDir, `${input.id}.jsonl`);
    const oldHashes = hashMap(state, 'hashes');
    const newHashes: Record<string, string> = {};
    const snapshot = createHash('sha256');
    let columns: ExtractColumn[] = [];
    let cursor = previous;
    let count: number;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query({ text: `DECLARE hekima_extract NO SCROLL CURSOR FOR ${sql}`, values: params });
      const batches = async function* (): AsyncGenerator<Row> {
        for (;;) {
          throwIfAborted(signal, `extracting "${input.id}"`);
          const result: pg.QueryResult<Row> = await client.query(`FETCH ${BATCH} FROM hekima_extract`);
          if (columns.length === 0) columns = columnsOf(result.fields);
          for (const row of result.rows) yield row;
          if (result.rows.length < BATCH) return;
        }
      };
      const rows = async function* (): AsyncGenerator<Row> {
        for await (const row of batches()) {
          if (cursorField) cursor = row[cursorField] ?? cursor;
          if (strategy === 'incremental') yield row;
          else {
            const hash = rowHash(columns.map((c) => row[c.name] ?? null));
            snapshot.update(hash);
            if (strategy === 'full_refresh') yield row;
            else {
              const key = keyOf(row, primaryKey);
              newHashes[key] = hash;
              const old = oldHashes[key];
              if (old !== hash) yield { ...row, [DIFF_OP_COLUMN]: old === undefined ? 'insert' : 'update' };
            }
          }
        }
        if (strategy === 'snapshot_diff')
          for (const key of Object.keys(oldHashes)) if (newHashes[key] === undefined) yield deletedRow(key, primaryKey);
      };
      count = await writeJsonLines(jsonl, rows());
      // An empty result still describes its columns.
      if (columns.length === 0) columns = columnsOf((await client.query(`SELECT * FROM ${from} LIMIT 0`)).fields);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw pgError(e, connection.name, signal);
    } finally {
      await client.end().catch(() => undefined);
    }
    if (cursorField && !columns.some((c) => c.name === cursorField))
      throw schemaIncompatible(
        'cursor_field_missing',
        `Input "${input.id}": the source has no column "${cursorField}".`,
      );
    const missingKey = primaryKey.filter((k) => !columns.some((c) => c.name === k));
    if (missingKey.length > 0)
      throw schemaIncompatible(
        'primary_key_missing',
        `Input "${input.id}": the source has no column ${missingKey.join(', ')}.`,
      );
    const typed = strategy === 'snapshot_diff' ? [...columns, { name: DIFF_OP_COLUMN, type: 'VARCHAR' }] : columns;
    const out = extractPath(request.workDir, input.id);
    const written = await jsonLinesToParquet(jsonl, count, typed, out);
    const newState: JsonObject = {
      columns: stateColumns(columns),
      ...(strategy === 'incremental' && cursor !== undefined ? { cursor } : {}),
      ...(strategy !== 'incremental' ? { snapshot_hash: snapshot.digest('hex') } : {}),
      ...(strategy === 'snapshot_diff' ? { hashes: newHashes } : {}),
    };
    return {
      source: { kind: 'file', path: out, format: 'parquet' },
      inPlace: false,
      rowCount: written.rowCount,
      columns: written.columns,
      mode:
        strategy === 'full_refresh'
          ? 'replace'
          : strategy === 'snapshot_diff'
            ? 'diff'
            : primaryKey.length > 0
              ? 'upsert'
              : 'append',
      primaryKey,
      state: newState,
    };
  }
}

function deletedRow(key: string, primaryKey: readonly string[]): Row {
  const values = JSON.parse(key) as (string | null)[];
  const row: Row = { [DIFF_OP_COLUMN]: 'delete' };
  primaryKey.forEach((k, i) => (row[k] = values[i] ?? null));
  return row;
}
