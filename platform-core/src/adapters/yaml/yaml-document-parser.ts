import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node, type Pair, type Document } from 'yaml';
import type { TextRange } from '../../domain/finding.js';
import { fromPointer, toPointer } from '../../domain/json-pointer.js';
import type { DocumentParser, RangePart, SourceDocument, SyntaxProblem } from '../../ports/source-document.js';
import { YamlWorkerPool } from './parallel-parse.js';

/** What a parse produces besides the tree: enough to rebuild a document without parsing. */
export interface ParsedData {
  readonly value: unknown;
  readonly problems: readonly SyntaxProblem[];
}

/**
 * Parses YAML with the `yaml` library, keeping source ranges for every node. A document keeps
 * only its text and plain value; the syntax tree behind the ranges is rebuilt on demand and
 * only the most recently used trees are kept (`retainedTrees`), so a workspace of thousands of
 * manifests stays small in memory while editors and findings still get exact ranges.
 */
export class YamlDocumentParser implements DocumentParser {
  private readonly retained = new Set<YamlSourceDocument>();
  private readonly pool = new YamlWorkerPool();

  constructor(private readonly retainedTrees = 128) {}

  parse(text: string): SourceDocument {
    return new YamlSourceDocument(text, (doc) => this.touch(doc));
  }

  /** A document from a parse done elsewhere (a worker thread): same behaviour as `parse`. */
  fromParsed(text: string, parsed: ParsedData): SourceDocument {
    return new YamlSourceDocument(text, (doc) => this.touch(doc), parsed);
  }

  async parseMany(texts: readonly string[], signal?: AbortSignal): Promise<SourceDocument[]> {
    return this.pool.parse(this, texts, signal);
  }

  warmUp(): void {
    this.pool.warm();
  }

  private touch(doc: YamlSourceDocument): void {
    this.retained.delete(doc);
    this.retained.add(doc);
    if (this.retained.size > this.retainedTrees) {
      const oldest = this.retained.values().next().value;
      if (oldest) {
        this.retained.delete(oldest);
        oldest.releaseTree();
      }
    }
  }
}

interface Located {
  node: Node | null;
  pair: Pair | null;
  found: boolean;
}

function parseTree(text: string, lineCounter?: LineCounter): Document.Parsed {
  return parseDocument(text, {
    ...(lineCounter ? { lineCounter } : {}),
    uniqueKeys: true,
    prettyErrors: false,
    keepSourceTokens: false,
  });
}

export class YamlSourceDocument implements SourceDocument {
  readonly value: unknown;
  readonly problems: SyntaxProblem[] = [];
  private lines: LineCounter | undefined;
  private tree: Document.Parsed | undefined;

  constructor(
    readonly text: string,
    private readonly onTree: (doc: YamlSourceDocument) => void,
    parsed?: ParsedData,
  ) {
    if (parsed) {
      this.value = parsed.value;
      this.problems = [...parsed.problems];
      return;
    }
    const first = parseTree(text);
    this.tree = first;
    for (const error of first.errors) {
      const [start, end] = error.pos;
      const kind = error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax';
      const message = kind === 'duplicate-key' ? duplicateMessage(text, start, end) : firstLine(error.message);
      this.problems.push({
        kind,
        message,
        range: this.rangeAt(start, Math.max(end, start + 1)),
        path: this.pathAtOffset(first, start),
      });
    }
    let value: unknown;
    try {
      value = first.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      value = undefined;
      this.problems.push({ kind: 'syntax', message: (e as Error).message, range: this.rangeAt(0, 0), path: '' });
    }
    this.value = value ?? undefined;
    // The tree is only needed again when a range is asked for.
    this.tree = undefined;
  }

  /** The plain data a worker sends back. */
  data(): ParsedData {
    return { value: this.value, problems: this.problems };
  }

  /** Drops the syntax tree (it is rebuilt from the text when needed). */
  releaseTree(): void {
    this.tree = undefined;
  }

  private get doc(): Document.Parsed {
    if (!this.tree) this.tree = parseTree(this.text);
    this.onTree(this);
    return this.tree;
  }

  private get lineCounter(): LineCounter {
    if (!this.lines) {
      const lines = new LineCounter();
      lines.addNewLine(0);
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) lines.addNewLine(i + 1);
      this.lines = lines;
    }
    return this.lines;
  }

  rangeAt(start: number, end: number): TextRange {
    const s = this.lineCounter.linePos(Math.max(0, Math.min(start, this.text.length)));
    const e = this.lineCounter.linePos(Math.max(0, Math.min(end, this.text.length)));
    return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
  }

  offsetAt(line: number, column: number): number {
    const starts = this.lineCounter.lineStarts;
    const lineStart = starts[Math.max(0, Math.min(line - 1, starts.length - 1))] ?? 0;
    return Math.min(this.text.length, lineStart + column - 1);
  }

  has(pointer: string): boolean {
    return this.locate(pointer).found;
  }

  rangeOf(pointer: string, part: RangePart = 'value'): TextRange {
    const { node, pair, found } = this.locate(pointer);
    if (!found) {
      // Point at the key of the deepest ancestor that exists (or the start of the document).
      if (pair && isScalar(pair.key) && pair.key.range) return this.rangeAt(pair.key.range[0], pair.key.range[1]);
      if (node?.range) return this.rangeAt(node.range[0], this.firstLineEnd(node.range[0], node.range[1]));
      return this.rangeAt(0, this.firstLineEnd(0, this.text.length));
    }
    if (part === 'key' && pair && isScalar(pair.key) && pair.key.range) {
      return this.rangeAt(pair.key.range[0], pair.key.range[1]);
    }
    if (part === 'entry' && pair && isScalar(pair.key) && pair.key.range) {
      const end = (pair.value as Node | null)?.range?.[1] ?? pair.key.range[1];
      return this.rangeAt(pair.key.range[0], end);
    }
    if (node?.range) {
      if (isScalar(node)) return this.rangeAt(node.range[0], node.range[1]);
      // Collections: the first line is enough to point at; use the key when there is one.
      if (pair && isScalar(pair.key) && pair.key.range) return this.rangeAt(pair.key.range[0], pair.key.range[1]);
      return this.rangeAt(node.range[0], this.firstLineEnd(node.range[0], node.range[1]));
    }
    if (pair && isScalar(pair.key) && pair.key.range) return this.rangeAt(pair.key.range[0], pair.key.range[1]);
    return this.rangeAt(0, 0);
  }

  scalarSpan(pointer: string): { start: number; end: number; quoted: boolean; block: boolean } | undefined {
    const { node, found } = this.locate(pointer);
    if (!found || !node || !isScalar(node) || !node.range) return undefined;
    const [start, valueEnd] = node.range;
    const type = node.type;
    if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE')
      return { start: start + 1, end: valueEnd - 1, quoted: true, block: false };
    if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
      // Content starts on the line after the header (| or >).
      const nl = this.text.indexOf('\n', start);
      return { start: nl < 0 ? valueEnd : nl + 1, end: valueEnd, quoted: false, block: true };
    }
    return { start, end: valueEnd, quoted: false, block: false };
  }

  private firstLineEnd(start: number, end: number): number {
    const nl = this.text.indexOf('\n', start);
    const lineEnd = nl < 0 ? this.text.length : nl;
    return Math.max(start, Math.min(end, lineEnd));
  }

  private locate(pointer: string): Located {
    let node: Node | null = (this.doc.contents as Node | null) ?? null;
    let pair: Pair | null = null;
    for (const segment of fromPointer(pointer)) {
      if (isMap(node)) {
        const next = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment) ?? null;
        if (!next) return { node, pair, found: false };
        pair = next;
        node = (next.value as Node | null) ?? null;
        if (node === null) {
          // `key:` with no value: the key is where the value would be.
          return { node: null, pair, found: true };
        }
      } else if (isSeq(node)) {
        const index = Number(segment);
        const item = Number.isInteger(index) ? node.items[index] : undefined;
        if (item === undefined || item === null) return { node, pair, found: false };
        pair = null;
        node = item as Node;
      } else {
        return { node, pair, found: false };
      }
    }
    return { node, pair, found: true };
  }

  /** The JSON pointer of the innermost mapping entry containing an offset (for syntax problems). */
  private pathAtOffset(doc: Document.Parsed, offset: number): string {
    const segments: (string | number)[] = [];
    let node: unknown = doc.contents;
    for (;;) {
      if (isMap(node)) {
        const hit = node.items.find((p) => within(p, offset));
        if (!hit || !isScalar(hit.key)) break;
        segments.push(String(hit.key.value));
        node = hit.value;
      } else if (isSeq(node)) {
        const index = node.items.findIndex(
          (item) => isNodeWithRange(item) && item.range[0] <= offset && offset <= item.range[2],
        );
        if (index < 0) break;
        segments.push(index);
        node = node.items[index];
      } else break;
    }
    return toPointer(segments);
  }
}

function isNodeWithRange(item: unknown): item is Node & { range: [number, number, number] } {
  return typeof item === 'object' && item !== null && 'range' in item && Array.isArray((item as Node).range);
}

function within(pair: unknown, offset: number): boolean {
  if (!isPair(pair)) return false;
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  const start = key?.range?.[0];
  const end = value?.range?.[2] ?? key?.range?.[2];
  return start !== undefined && end !== undefined && start <= offset && offset <= end;
}

function duplicateMessage(text: string, start: number, end: number): string {
  const line = text.slice(
    start,
    Math.max(end, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start)),
  );
  const key = line
    .replace(/\s*:(\s.*)?$/s, '')
    .replace(/^["']|["']$/g, '')
    .trim();
  return key ? `'${key}' appears twice in one mapping` : 'a key appears twice in one mapping';
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}
