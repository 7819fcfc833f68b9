import type { DuckDBConnection } from '@duckdb/node-api';
import { lockSession, openSession } from './sandbox.js';
import {
  abortError,
  cancelled,
  isHekimaError,
  permanent,
  schemaIncompatible,
  throwIfAborted,
} from '../../domain/errors.js';
import { join } from 'node:path';
import type {
  BoundInput,
  Engine,
  ExportedInput,
  TableSource,
  EngineLogic,
  EngineRequest,
  EngineResult,
} from '../../ports/engine.js';

type SqlLogic = Extract<EngineLogic, { kind: 'sql' }>;
import { ident, literal } from './duck-sql.js';
import { engineLocation, expressionLocation, headline, mentionedColumns, offendingValue } from './error-location.js';
import { bindInputs, createTable } from './load-inputs.js';
import { OUT_TABLE, RAW_TABLE, shapeResult } from './shape-result.js';

const SQL_PREFIX = `CREATE TEMP TABLE ${RAW_TABLE} AS\n`;

/**
 * Runs logic in a fresh in-memory DuckDB per run: inputs are loaded first, then the connection
 * loses file access (`enable_external_access = false`, only the output file stays writable) and
 * its configuration is locked, so the logic sees nothing but its inputs. Memory, threads and a
 * timeout (which interrupts the query) come from compute.yaml.
 */
export class DuckDbEngine implements Engine {
  async run(request: EngineRequest): Promise<EngineResult> {
    throwIfAborted(request.signal, 'the run');
    const session = await openSession(request.limits);
    try {
      await bindInputs(session.connection, request.inputs);
      if (request.logic.kind === 'table')
        await loadResult(session.connection, request.logic.source, request.logic.file);
      await lockSession(session.connection, request.outputPath);
      return await withDeadline(session.connection, request, () => this.execute(session.connection, request));
    } finally {
      session.close();
    }
  }

  async exportInputs(inputs: readonly BoundInput[], dir: string, signal?: AbortSignal): Promise<ExportedInput[]> {
    const session = await openSession(undefined);
    const { connection } = session;
    try {
      await bindInputs(connection, inputs);
      const out: ExportedInput[] = [];
      for (const [index, input] of inputs.entries()) {
        throwIfAborted(signal, 'exporting inputs');
        const path = join(dir, `input-${index}.jsonl`);
        await connection.run(`COPY ${ident(input.id)} TO ${literal(path)} (FORMAT json)`);
        const described = await connection.runAndReadAll(`DESCRIBE ${ident(input.id)}`);
        out.push({ id: input.id, path, columns: described.getRowObjectsJson().map((r) => String(r['column_name'])) });
      }
      return out;
    } finally {
      session.close();
    }
  }

  private async execute(connection: DuckDBConnection, request: EngineRequest): Promise<EngineResult> {
    const { logic } = request;
    let ordered = false;
    if (logic.kind === 'sql') {
      await assertSingleQuery(connection, logic.sql, logic.file);
      try {
        await connection.run(SQL_PREFIX + logic.sql);
      } catch (e) {
        throw sqlError(e, logic);
      }
      ordered = await hasTopLevelOrderBy(connection, logic.sql);
    }
    await shapeResult(
      connection,
      request.output,
      logic.kind === 'sql'
        ? { sql: logic.sql, file: logic.file, ...(logic.outputSpans ? { spans: logic.outputSpans } : {}) }
        : logic.file
          ? { file: logic.file }
          : {},
    );
    const count = await connection.runAndReadAll(`SELECT COUNT(*) FROM ${OUT_TABLE}`);
    const rowCount = Number(count.getRows()[0]?.[0] ?? 0);
    const columns = request.output.map((c) => c.name);
    if (request.outputPath !== undefined)
      await connection.run(`COPY ${OUT_TABLE} TO ${literal(request.outputPath)} (FORMAT parquet)`);
    let rows: (string | null)[][] | undefined;
    if (request.collectRows) {
      const list = columns.map((c) => `CAST(${ident(c)} AS VARCHAR)`).join(', ');
      const reader = await connection.runAndReadAll(`SELECT ${list || '1'} FROM ${OUT_TABLE}`);
      rows = reader.getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
    }
    return {
      rowCount,
      columns,
      ordered,
      ...(rows ? { rows } : {}),
      ...(request.outputPath !== undefined ? { outputPath: request.outputPath } : {}),
    };
  }
}

async function loadResult(connection: DuckDBConnection, source: TableSource, file: string | undefined): Promise<void> {
  try {
    await createTable(connection, RAW_TABLE, source);
  } catch (e) {
    const where = file ?? (source.kind === 'file' ? source.path : 'the result');
    throw schemaIncompatible(
      'result_unreadable',
      `${where}: the result cannot be read: ${headline((e as Error).message)}`,
      { cause: e },
    );
  }
}

/** Interrupts the connection on timeout or abort, and reports which. */
async function withDeadline<T>(
  connection: DuckDBConnection,
  request: EngineRequest,
  work: () => Promise<T>,
): Promise<T> {
  let timedOut = false;
  const timeoutMs = request.limits?.timeoutMs;
  const timer =
    timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), connection.interrupt()), timeoutMs);
  const onAbort = () => connection.interrupt();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } catch (e) {
    if (timedOut)
      throw cancelled('timeout', `the logic ran longer than its timeout of ${timeoutMs} ms and was cancelled`, {
        cause: e,
        details: { timeoutMs },
      });
    if (request.signal?.aborted) throw abortError(request.signal, 'the run');
    throw e;
  } finally {
    if (timer) clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

async function assertSingleQuery(connection: DuckDBConnection, sql: string, file: string): Promise<void> {
  let count: number;
  try {
    count = (await connection.extractStatements(sql)).count;
  } catch (e) {
    throw sqlError(e, { sql, file }, 0);
  }
  if (count !== 1)
    throw permanent('not_a_single_query', `${file}: the logic must be exactly one query; it has ${count} statements`, {
      details: { file },
    });
}

async function hasTopLevelOrderBy(connection: DuckDBConnection, sql: string): Promise<boolean> {
  try {
    const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${literal(sql)})`);
    const tree = JSON.parse(String(reader.getRows()[0]?.[0])) as {
      statements?: { node?: { modifiers?: { type?: string }[] } }[];
    };
    return tree.statements?.[0]?.node?.modifiers?.some((m) => m.type === 'ORDER_MODIFIER') ?? false;
  } catch {
    return false;
  }
}

/** A DuckDB error of the logic, with the file, line and column and the offending value. */
function sqlError(e: unknown, logic: Omit<SqlLogic, 'kind'>, lineOffset = 1): Error {
  if (isHekimaError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/^INTERRUPT/i.test(message)) return e as Error;
  const value = offendingValue(message);
  const location =
    engineLocation(message, logic.sql, logic.file, lineOffset) ??
    expressionLocation(logic.sql, logic.file, logic.outputSpans, mentionedColumns(message));
  const where = location ? `${location.file}:${location.line}:${location.column}` : logic.file;
  const details = {
    file: logic.file,
    ...(location ? { line: location.line, column: location.column, positionSource: location.source } : {}),
    ...(value !== undefined ? { value } : {}),
    engineMessage: message,
  };
  const text = `${where}: ${headline(message)}`;
  return /^Conversion Error/.test(message)
    ? schemaIncompatible('conversion_failed', text, { cause: e, details })
    : permanent('sql_failed', text, { cause: e, details });
}
