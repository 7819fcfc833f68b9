import type { TextRange } from '../domain/finding.js';

export interface SyntaxProblem {
  /** 'syntax' for malformed YAML, 'duplicate-key' for a key repeated in one mapping. */
  readonly kind: 'syntax' | 'duplicate-key';
  readonly message: string;
  readonly range: TextRange;
  readonly path: string;
}

/** Which part of a mapping entry a range should cover. */
export type RangePart = 'key' | 'value' | 'entry';

/** A parsed manifest that remembers where every node came from. */
export interface SourceDocument {
  readonly text: string;
  /** The plain value (undefined for an empty document). */
  readonly value: unknown;
  readonly problems: readonly SyntaxProblem[];
  /**
   * The range of the node at a JSON pointer. When the pointer does not exist, the range of the
   * deepest ancestor that does (its key when it has one), so a missing field points at its parent.
   */
  rangeOf(pointer: string, part?: RangePart): TextRange;
  /** Whether a node exists at the pointer. */
  has(pointer: string): boolean;
  /** Converts character offsets into a range. */
  rangeAt(start: number, end: number): TextRange;
  /** The character offset of a 1-based position. */
  offsetAt(line: number, column: number): number;
  /** Offsets [start, end) of the scalar value at the pointer (content, quotes excluded), if it is a scalar. */
  scalarSpan(pointer: string): { start: number; end: number; quoted: boolean; block: boolean } | undefined;
}

export interface DocumentParser {
  parse(text: string): SourceDocument;
  /** Parses many texts, possibly in parallel; same results as `parse` on each, in order. */
  parseMany?(texts: readonly string[], signal?: AbortSignal): Promise<SourceDocument[]>;
  /** Prepares for a large `parseMany` (e.g. starts worker threads) while the caller reads files. */
  warmUp?(): void;
}
