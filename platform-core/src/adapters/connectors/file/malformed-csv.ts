import { open } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { csvErrorOf, malformedSource } from '../../../domain/ingestion/malformed-source.js';
import type { ExtractColumn } from '../../../ports/connector.js';
import { literal } from '../shared/extract-writer.js';
import type { SourceFile } from './file-paths.js';

const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * When DuckDB's sniffer cannot find one dialect for a CSV (a row with more or fewer fields than
 * the header, within its sample), it falls back to ONE text column holding whole lines, and the
 * logic then fails on a missing column, far from the cause. This spots that fallback (a column
 * whose name holds the header's delimiter) and re-reads each file with the dialect its header
 * shows and strict parsing, so DuckDB itself names the malformed line: InvalidArgument
 * `source_malformed` naming the input, the file (workspace-relative) and the line.
 */
export async function assertWellFormedCsv(
  c: DuckDBConnection,
  inputId: string,
  files: readonly SourceFile[],
  columns: readonly ExtractColumn[],
  label: (file: SourceFile) => string,
): Promise<void> {
  if (!columns.some((col) => DELIMITERS.some((d) => col.name.includes(d)))) return;
  for (const file of files) {
    const header = await firstLine(file.path);
    const delimiter = [...DELIMITERS].sort((a, b) => count(header, b) - count(header, a))[0]!;
    const fields = splitRecord(header, delimiter);
    if (fields.length < 2) continue;
    const names = `{${fields.map((_, i) => `${literal(`c${i}`)}: 'VARCHAR'`).join(', ')}}`;
    try {
      await c.run(
        `SELECT count(*) FROM read_csv(${literal(file.path)}, auto_detect = false, header = true, delim = ${literal(delimiter)}, quote = '"', escape = '"', strict_mode = true, columns = ${names})`,
      );
    } catch (e) {
      const parsed = csvErrorOf((e as Error).message ?? '');
      if (!parsed) continue;
      const { path: _path, ...rest } = parsed;
      throw malformedSource({ input: inputId, file: label(file), ...rest });
    }
  }
}

const count = (text: string, ch: string) => text.split(ch).length - 1;

/** The first record of a file (up to 64 KiB), a newline inside quotes included. */
async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '"') quoted = !quoted;
      else if (!quoted && (text[i] === '\n' || text[i] === '\r')) return text.slice(0, i);
    }
    return text;
  } finally {
    await handle.close();
  }
}

/** The fields of one CSV record (RFC 4180 quoting). */
function splitRecord(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}
