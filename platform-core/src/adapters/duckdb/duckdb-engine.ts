import type { DuckDBConnection } from '@duckdb/node-api';
import { lockSession, openSession, type DuckDbSession } from './sandbox.js';
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
import { checkWrittenFile } from './check-written.js';
import { groupByProvesKey } from './key-proof.js';
import { engineLocation, expressionLocation, headline, mentionedColumns, offendingValue } from './error-location.js';
import { bindInputs, createTable, diagnoseInputs, sourceLabel } from './load-inputs.js';
import { csvErrorOf, malformedSource } from '../../domain/ingestion/malformed-source.js';
import {
  castFailed,
  checkNotNull,
  checkPrimaryKey,
  diagnoseCasts,
  OUT_TABLE,
  planShape,
  RAW_TABLE,
  shapeSelect,
  type ShapeContext,
} from './shape-result.js';

const SQL_PREFIX = `CREATE TEMP VIEW ${RAW_TABLE} AS\n`;
/** The logic's result materialised, only to diagnose a failed run. */
const RAW_ROWS = '__hekima_raw_rows';

/**
 * Runs logic in a fresh in-memory DuckDB per run. File inputs are views over their files; the
 * connection then loses file access except reading those files and writing the output
 * (`allowed_paths`, `enable_external_access = false`), and its configuration is locked, so the
 * logic sees nothing but its inputs. The logic is a view too, and ONE statement streams it,
 * shaped to output.yaml, into the Parquet output (`COPY (SELECT <casts> FROM (<logic>)) TO …`);
 * NOT NULL and primary keys are then checked on the written file (a key the logic's own GROUP BY
 * makes unique is proven instead, key-proof.ts). When that statement fails,
 * the slow path (materialise, shape, diagnose) finds the precise error. Memory, threads and a
 * timeout (which interrupts the query) come from compute.yaml.
 */
export class DuckDbEngine implements Engine {
  async run(request: EngineRequest): Promise<EngineResult> {
    throwIfAborted(request.signal, 'the run');
    const session = await openSession(request.limits);
    try {
      const readable = await bindInputs(session.connection, request.inputs);
      if (request.logic.kind === 'table')
        await loadResult(session.connection, request.logic.source, request.logic.file);
      await lockSession(session.connection, request.outputPath, readable);
      return await withDeadline([session.connection, session.verifier], request, () => execute(session, request));
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
        try {
          await connection.run(`COPY ${ident(input.id)} TO ${literal(path)} (FORMAT json)`);
        } catch (e) {
          await diagnoseInputs(connection, [input]);
          throw e;
        }
        const described = await connection.runAndReadAll(`DESCRIBE ${ident(input.id)}`);
        out.push({ id: input.id, path, columns: described.getRowObjectsJson().map((r) => String(r['column_name'])) });
      }
      return out;
    } finally {
      session.close();
    }
  }
}

async function execute(session: DuckDbSession, request: EngineRequest): Promise<EngineResult> {
  const { connection } = session;
  const { logic, output, outputPath } = request;
  let tree: unknown;
  if (logic.kind === 'sql') {
    await assertSingleQuery(connection, logic.sql, logic.file);
    try {
      await connection.run(SQL_PREFIX + logic.sql);
    } catch (e) {
      throw sqlError(e, logic);
    }
    tree = await parseTree(connection, logic.sql);
  }
  const ordered = hasTopLevelOrderBy(tree);
  const ctx = shapeContext(logic);
  const plan = await planShape(connection, output, ctx);
  // The logic's GROUP BY already makes the primary key unique: no need to verify it on the file.
  const keyProven = tree !== undefined && groupByProvesKey(tree, plan);
  const select = shapeSelect(plan, RAW_TABLE, logic.kind === 'sql');
  let rowCount: number;
  try {
    if (outputPath !== undefined) {
      const copied = await connection.runAndReadAll(`COPY (${select}) TO ${literal(outputPath)} (FORMAT parquet)`);
      rowCount = Number(copied.getRows()[0]?.[0] ?? 0);
    } else {
      await connection.run(`CREATE TEMP TABLE ${OUT_TABLE} AS ${select}`);
      const count = await connection.runAndReadAll(`SELECT COUNT(*) FROM ${OUT_TABLE}`);
      rowCount = Number(count.getRows()[0]?.[0] ?? 0);
    }
  } catch (e) {
    throw await diagnose(connection, request, ctx, e);
  }
  const from = outputPath !== undefined ? `read_parquet(${literal(outputPath)})` : OUT_TABLE;
  if (outputPath !== undefined)
    await checkWrittenFile(session.verifier, output, ctx, outputPath, rowCount, { keyProven });
  else {
    await checkNotNull(connection, output, ctx, OUT_TABLE);
    await checkPrimaryKey(connection, output, ctx, OUT_TABLE);
  }
  const columns = output.map((c) => c.name);
  let rows: (string | null)[][] | undefined;
  if (request.collectRows) {
    const list = columns.map((c) => `CAST(${ident(c)} AS VARCHAR)`).join(', ');
    const reader = await connection.runAndReadAll(`SELECT ${list || '1'} FROM ${from}`);
    rows = reader.getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
  }
  const hasKey = output.some((c) => c.primaryKey);
  return {
    rowCount,
    columns,
    ordered,
    ...(hasKey ? { primaryKey: outputPath !== undefined && keyProven ? 'proven' : 'checked' } : {}),
    ...(rows ? { rows } : {}),
    ...(outputPath !== undefined ? { outputPath } : {}),
  };
}

function shapeContext(logic: EngineLogic): ShapeContext {
  if (logic.kind === 'sql')
    return { sql: logic.sql, file: logic.file, ...(logic.outputSpans ? { spans: logic.outputSpans } : {}) };
  return logic.file ? { file: logic.file } : {};
}

/**
 * After the one-pass statement failed: replays the run step by step (typed inputs, the logic
 * materialised, then each column's cast) to return the precise error; the original one (as a
 * logic error) when no step fails on its own. Interrupts and memory exhaustion are not replayed.
 */
async function diagnose(
  connection: DuckDBConnection,
  request: EngineRequest,
  ctx: ShapeContext,
  failure: unknown,
): Promise<unknown> {
  const message = failure instanceof Error ? failure.message : String(failure);
  const { logic } = request;
  if (isHekimaError(failure) || /^(INTERRUPT|Out of Memory)/i.test(message))
    return logic.kind === 'sql' ? sqlError(failure, logic) : failure;
  if (request.signal?.aborted) return failure;
  const malformed = malformedInput(message, request.inputs);
  if (malformed) return malformed;
  let relation = RAW_TABLE;
  if (logic.kind === 'sql') {
    await diagnoseInputs(connection, request.inputs);
    try {
      // The logic's own text (not the view), so DuckDB's positions are those of the logic file.
      await connection.run(`CREATE TEMP TABLE ${RAW_ROWS} AS\n${logic.sql}`);
    } catch (e) {
      return sqlError(e, logic);
    }
    relation = RAW_ROWS;
  }
  await diagnoseCasts(connection, await planShape(connection, request.output, ctx, relation), ctx, relation);
  return logic.kind === 'sql' && !/^Conversion Error/.test(message)
    ? sqlError(failure, logic)
    : castFailed(failure, ctx);
}

/** A CSV input with a malformed line (DuckDB names the file and the line): said as such, not as a logic error. */
function malformedInput(message: string, inputs: EngineRequest['inputs']): unknown {
  const csv = csvErrorOf(message);
  if (!csv?.path) return undefined;
  const { path, ...rest } = csv;
  const input = inputs.find(
    (i) => i.source.kind === 'file' && (i.source.path === path || (i.source.paths ?? []).includes(path)),
  );
  return input ? malformedSource({ input: input.id, file: path, ...rest }) : undefined;
}

async function loadResult(connection: DuckDBConnection, source: TableSource, file: string | undefined): Promise<void> {
  try {
    await createTable(connection, RAW_TABLE, source);
  } catch (e) {
    const where = file ?? (source.kind === 'file' ? sourceLabel(source) : 'the result');
    throw schemaIncompatible(
      'result_unreadable',
      `${where}: the result cannot be read: ${headline((e as Error).message)}`,
      { cause: e },
    );
  }
}

/** Interrupts the connection on timeout or abort, and reports which. */
async function withDeadline<T>(
  connections: readonly DuckDBConnection[],
  request: EngineRequest,
  work: () => Promise<T>,
): Promise<T> {
  let timedOut = false;
  const timeoutMs = request.limits?.timeoutMs;
  const interrupt = () => connections.forEach((c) => c.interrupt());
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), interrupt()), timeoutMs);
  const onAbort = interrupt;
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Aborted while the session was being opened: the listener came too late to hear it.
    throwIfAborted(request.signal, 'the run');
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

/** DuckDB's parse tree of the logic (`json_serialize_sql`), or undefined when it cannot give one. */
async function parseTree(connection: DuckDBConnection, sql: string): Promise<unknown> {
  try {
    const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${literal(sql)})`);
    const tree = JSON.parse(String(reader.getRows()[0]?.[0])) as { error?: boolean };
    return tree.error === false ? tree : undefined;
  } catch {
    return undefined;
  }
}

function hasTopLevelOrderBy(tree: unknown): boolean {
  const node = (tree as { statements?: { node?: { modifiers?: { type?: string }[] } }[] } | undefined)?.statements?.[0]
    ?.node;
  return node?.modifiers?.some((m) => m.type === 'ORDER_MODIFIER') ?? false;
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
