import { styleText } from 'node:util';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIO {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type Style = 'red' | 'yellow' | 'blue' | 'green' | 'gray' | 'bold' | 'underline' | 'cyan';

export function painter(io: CliIO, stream: 'stdout' | 'stderr' = 'stdout'): (style: Style, text: string) => string {
  const tty = io[stream].isTTY === true && !io.env['NO_COLOR'] && io.env['TERM'] !== 'dumb';
  const forced = io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0';
  if (!tty && !forced) return (_s, t) => t;
  return (style, text) => styleText(style, text);
}

/** Exit codes of every command. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export class UsageError extends Error {
  readonly code = 'USAGE';
}

/**
 * Lines of a plain-text table: cells padded to their column's width, two spaces apart, trailing
 * blanks trimmed; `rule` puts a line of dashes under the header.
 */
export function alignedTable(
  header: readonly string[],
  body: readonly (readonly string[])[],
  options: { readonly rule?: boolean } = {},
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...(options.rule ? [line(widths.map((w) => '-'.repeat(w)))] : []), ...body.map(line)];
}
