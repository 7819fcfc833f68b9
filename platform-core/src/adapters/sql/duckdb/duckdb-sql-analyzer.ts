import type {
  SqlAnalysis,
  SqlAnalyzer,
  SqlDialectFeature,
  SqlOutputColumn,
  SqlSpan,
  SqlStatement,
  TableColumns,
} from '../../../ports/sql-analyzer.js';
import { Findings } from '../findings.js';
import type { OutputItem } from '../sql-scope.js';
import { SqlTokens } from '../sql-tokens.js';
import { errorSpan } from '../syntax-error-span.js';
import { TextOffsets } from '../text-offsets.js';
import { isNode, queryOf, type DuckNode } from './duck-nodes.js';
import { dialectFeatures } from './duck-dialect.js';
import { dedupe } from './duck-lineage.js';
import { DuckWalker } from './duck-walker.js';
import { DuckDbParserThread } from './parser-thread.js';
import { statementType } from './statement-types.js';

/** The analysis of an empty text, and the other fields of one with a syntax error. */
const EMPTY: SqlAnalysis = {
  statementCount: 0,
  isQuery: false,
  tables: [],
  ctes: [],
  outputColumns: [],
  columnReads: [],
  ambiguousReads: [],
  usesStar: false,
  statements: [],
  tableFunctions: [],
};

/** Parse results kept (by text) so that a batch parsed ahead serves the analyses that follow. */
const CACHE_LIMIT = 20_000;

interface Serialized {
  readonly error?: boolean;
  readonly error_type?: string;
  readonly error_message?: string;
  readonly position?: string | number;
  readonly statements?: readonly unknown[];
}

/** One statement as the walk sees it: a query tree (with the byte offset it is relative to), or only a type. */
interface Piece extends SqlSpan {
  readonly type: string;
  readonly tree: DuckNode | undefined;
  readonly base: number;
}

/**
 * The SQL analyzer on DuckDB's own parser (`json_serialize_sql()`, ADR 0021): what DuckDB
 * accepts parses, syntax errors are at DuckDB's position, and the walk over DuckDB's tree gives
 * the tables, CTEs, column reads and output columns of the one analysis model (sql-scope.ts).
 */
export class DuckDbSqlAnalyzer implements SqlAnalyzer {
  private readonly cache = new Map<string, string>();

  constructor(private readonly thread = new DuckDbParserThread()) {}

  ready(): Promise<void> {
    return this.thread.start();
  }

  async prepare(texts: readonly string[]): Promise<void> {
    const wanted = [...new Set(texts.filter((t) => !this.cache.has(t) && t.trim() !== ''))];
    if (wanted.length === 0) return;
    const results = await this.thread.parseMany(wanted);
    wanted.forEach((text, i) => this.remember(text, results[i]));
  }

  /** Stops the parser thread (it never keeps the process alive; this frees its memory). */
  close(): void {
    this.thread.stop();
  }

  analyze(sql: string, tableColumns: TableColumns): SqlAnalysis {
    const offsets = new TextOffsets(sql);
    const tokens = SqlTokens.scan(offsets) ?? SqlTokens.empty();
    const spans = tokens.statements();
    if (spans.length === 0 && sql.trim() === '') return EMPTY;
    const parsed = this.serialized(sql);
    if (parsed.error === true && parsed.error_type === 'parser') {
      const position = Number(parsed.position ?? 0);
      const message = parsed.error_message ?? 'syntax error';
      return { ...EMPTY, error: { message, ...errorSpan(offsets, offsets.fromCodePoint(position)) } };
    }
    const pieces = parsed.error === true ? this.piecewise(sql, spans) : this.whole(parsed, sql, spans);
    return analyzePieces(pieces, offsets, tokens, tableColumns, (text) => this.thread.tableNamesSync(text));
  }

  /** Every statement parsed together, matched with the spans of the text's statements. */
  private whole(parsed: Serialized, sql: string, spans: SqlSpan[]): Piece[] {
    const trees = (parsed.statements ?? []).map((s) => queryOf(s));
    const matched = trees.length === spans.length ? spans : trees.map(() => ({ start: 0, end: sql.trimEnd().length }));
    return trees.map((tree, i) => ({ ...matched[i]!, type: 'SelectStmt', tree, base: 0 }));
  }

  /**
   * A text that parses but that `json_serialize_sql()` refuses as a whole (a statement other than
   * a query, or a PIVOT whose columns come from the data): each statement on its own.
   */
  private piecewise(sql: string, spans: SqlSpan[]): Piece[] {
    const texts = spans.map((s) => sql.slice(s.start, s.end));
    const missing = texts.filter((t) => !this.cache.has(t));
    const results = missing.length > 0 ? this.thread.parseSync(missing) : [];
    missing.forEach((t, i) => this.remember(t, results[i]));
    return spans.map((span, i) => {
      const text = texts[i]!;
      const parsed = this.serialized(text);
      const tree = parsed.error === true ? undefined : queryOf(parsed.statements?.[0]);
      const base = Buffer.byteLength(sql.slice(0, span.start), 'utf8');
      return { ...span, type: tree === undefined ? statementType(text) : 'SelectStmt', tree, base };
    });
  }

  private serialized(text: string): Serialized {
    let raw = this.cache.get(text);
    if (raw === undefined) {
      raw = this.thread.parseSync([text])[0];
      this.remember(text, raw);
    }
    try {
      const value: unknown = JSON.parse(raw ?? '');
      return isNode(value) ? (value as Serialized) : { error: true, error_type: 'internal' };
    } catch {
      return { error: true, error_type: 'internal' };
    }
  }

  private remember(text: string, raw: string | undefined): void {
    if (raw === undefined) return;
    if (this.cache.size >= CACHE_LIMIT) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(text, raw);
  }
}

function analyzePieces(
  pieces: readonly Piece[],
  offsets: TextOffsets,
  tokens: SqlTokens,
  tableColumns: TableColumns,
  tableNames: (text: string) => string[],
): SqlAnalysis {
  const findings = new Findings();
  const features: SqlDialectFeature[] = [];
  let outputs: OutputItem[] | undefined;
  for (const piece of pieces) {
    if (piece.tree !== undefined) {
      const walker = new DuckWalker({ offsets, tokens, tableColumns, findings, base: piece.base });
      outputs = walker.select(piece.tree, undefined, new Map());
      features.push(
        ...dialectFeatures(piece.tree, (location, before) => tokenSpan(tokens, walker.at(location), before)),
      );
      const first = tokens.tokenAt(piece.start);
      if (first?.reserved === 'from')
        features.push({ feature: 'FROM-first query', start: first.start, end: first.end });
    } else {
      outputs = undefined;
      // A statement DuckDB does not serialize: the tables it reads, but not its columns.
      recordTableNames(piece, offsets.text, tokens, tableNames, findings);
      if (piece.type === 'SelectStmt') {
        // A query such as a PIVOT whose columns come from the data.
        outputs = [
          {
            ...piece,
            name: null,
            expression: offsets.text.slice(piece.start, piece.end),
            star: true,
            origin: undefined,
          },
        ];
      }
    }
  }
  const outputColumns = (outputs ?? []).map(toOutputColumn);
  const queries = pieces.filter((p) => p.type === 'SelectStmt').length;
  return {
    statementCount: pieces.length,
    isQuery: pieces.length === 1 && queries === 1,
    tables: bySpan(findings.tables),
    ctes: [...new Set(findings.ctes)],
    outputColumns,
    columnReads: bySpan(findings.reads),
    ambiguousReads: bySpan(findings.ambiguous),
    usesStar: outputColumns.some((c) => c.star),
    statements: pieces.map((p): SqlStatement => ({ type: p.type, start: p.start, end: p.end })),
    tableFunctions: bySpan(findings.tableFunctions),
    datasetLineage: dedupe({ direct: [], indirect: findings.dataset }).indirect,
    dialectFeatures: bySpan(features),
  };
}

function tokenSpan(tokens: SqlTokens, offset: number, before = false): SqlSpan {
  const token = before ? tokens.lastBefore(offset) : tokens.tokenAt(offset);
  return token === undefined ? { start: offset, end: offset } : { start: token.start, end: token.end };
}

/** The tables DuckDB lists for a statement, located at their first written occurrence. */
function recordTableNames(
  piece: Piece,
  text: string,
  tokens: SqlTokens,
  tableNames: (text: string) => string[],
  findings: Findings,
): void {
  for (const name of tableNames(text.slice(piece.start, piece.end))) {
    const lower = name.toLowerCase();
    let at = piece.start;
    let found: SqlSpan | undefined;
    while (at < piece.end && found === undefined) {
      const token = tokens.tokenAt(at);
      if (token === undefined) {
        at++;
        continue;
      }
      const bare = token.text.startsWith('"') ? token.text.slice(1, -1).replace(/""/g, '"') : token.text.toLowerCase();
      if (bare === lower || bare === name) found = token;
      at = token.end;
    }
    const span = found ?? { start: piece.start, end: piece.start };
    findings.tables.push({ name: lower, quoted: text[span.start] === '"', start: span.start, end: span.end });
  }
}

function toOutputColumn(item: OutputItem): SqlOutputColumn {
  return {
    name: item.name,
    expression: item.expression,
    star: item.star,
    start: item.start,
    end: item.end,
    ...(item.lineage ? { lineage: item.lineage } : {}),
  };
}

function bySpan<T extends SqlSpan>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.start - b.start || a.end - b.end);
}
