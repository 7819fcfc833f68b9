import type { Fix, TextEdit } from './finding.js';
import { LineIndex } from './text-positions.js';

/**
 * Applies the edits of one file to its text. Edits are located against the original text and
 * applied from last to first, so their ranges never shift each other (as LSP workspace edits).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const located = edits
    .map((e) => ({
      start: lines.offset(e.range.start.line, e.range.start.column),
      end: lines.offset(e.range.end.line, e.range.end.column),
      newText: e.newText,
    }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of located) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Applies a fix to a set of files (path → text); a file the fix creates starts empty. */
export function applyFix(files: ReadonlyMap<string, string>, fix: Fix): Map<string, string> {
  const out = new Map(files);
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  for (const [file, edits] of byFile) out.set(file, applyEdits(out.get(file) ?? '', edits));
  return out;
}
