import { invalidArgument, isHekimaError, type HekimaError } from '../errors.js';

/** A source file with a malformed line (a CSV row with more or fewer fields than its header). */
export interface MalformedSource {
  /** The input id (inputs.yaml) that reads the file. */
  readonly input: string;
  /** The file: workspace-relative when known, else as the reader saw it. */
  readonly file: string;
  /** 1-based line in the file, as DuckDB counts it (the header is line 1). */
  readonly line: number;
  /** What is wrong, e.g. "expected 3 fields (as its header), found 4". */
  readonly what: string;
  /** The line's text (truncated). */
  readonly original?: string;
  /** The inputs.yaml that declares the input, when the caller knows it. */
  readonly manifest?: string;
}

/**
 * InvalidArgument `source_malformed` (permanent: the data must be fixed, a retry reads the same
 * bytes): "customers/inputs.yaml: input "raw" reads data/customers.csv, whose line 3 is
 * malformed: …". Its details carry the fields, so a caller that knows more (the manifest, the
 * workspace root) can say it again with `restated`.
 */
export function malformedSource(m: MalformedSource): HekimaError {
  const where = m.manifest ? `${m.manifest}: ` : '';
  const text = m.original !== undefined ? ` — ${JSON.stringify(m.original)}` : '';
  return invalidArgument(
    'source_malformed',
    `${where}input "${m.input}" reads ${m.file}, whose line ${m.line} is malformed: ${m.what}${text}. Fix that line in the file (a field holding the delimiter must be quoted).`,
    { details: { ...m } },
  );
}

/** The same error with more context (`change` returns the new fields); other errors unchanged. */
export function restated(error: unknown, change: (m: MalformedSource) => Partial<MalformedSource>): unknown {
  if (!isHekimaError(error) || error.code !== 'source_malformed') return error;
  const m = error.details as unknown as MalformedSource;
  return malformedSource({ ...m, ...change(m) });
}

/** Reads DuckDB's CSV error text: line, what, original line and file, or undefined. */
export function csvErrorOf(
  message: string,
): (Omit<MalformedSource, 'input' | 'file'> & { readonly path?: string }) | undefined {
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  if (line === undefined) return undefined;
  const original = /Original Line: (.*)/.exec(message)?.[1]?.slice(0, 200);
  const found = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  const what = found
    ? `expected ${found[1]} fields (as its header), found ${found[2]}`
    : (message.split('\n')[0] ?? '').replace(/^Invalid Input Error: /, '');
  const path = /^\s*file = (.+)$/m.exec(message)?.[1]?.trim();
  return {
    line: Number(line),
    what,
    ...(original !== undefined ? { original } : {}),
    ...(path !== undefined ? { path } : {}),
  };
}

/** `file` relative to `root` when it lies below it (with `/`), else unchanged. */
export function workspaceRelative(root: string, file: string): string {
  const base = root.replace(/[\\/]+$/, '');
  return file.startsWith(`${base}/`) ? file.slice(base.length + 1) : file;
}
