import type { ErrorJSON, ErrorKind } from '../errors.js';
import type { JsonObject, JsonValue } from '../json.js';

/**
 * The diagnosis of one execution (issue 14): what failed, where in the workspace, the evidence
 * (masked for the reader), and what to do next. Protocol-neutral: the CLI prints it as text or
 * JSON; the MCP server and the editor render the same object. Its JSON top level is stable
 * (docs/diagnose.md).
 */
export interface Diagnosis {
  readonly execution: string;
  readonly product: string;
  readonly version: string;
  readonly status: string;
  readonly trigger: string;
  /** The pipeline step that failed (undefined: nothing failed). */
  readonly step?: DiagnosisStep;
  readonly error?: DiagnosisError;
  readonly attempts: { readonly made: number; readonly max: number };
  /** Step timings as the catalog recorded them (successful executions only, for now). */
  readonly steps: readonly { readonly name: string; readonly status: string; readonly ms?: number }[];
  /** The primary location (the first of `locations`). */
  readonly location?: DiagnosisLocation;
  readonly locations: readonly DiagnosisLocation[];
  readonly evidence: { readonly checks: readonly CheckEvidence[]; readonly masked: readonly string[] };
  /** What else the failure affects (absent when the caller did not ask for it). */
  readonly blast_radius?: BlastRadius;
  readonly next: NextAction;
}

export interface BlastRadius {
  /** Products of the workspace computed from this one (skipped or stale while it fails), from the lineage. */
  readonly downstream: readonly string[];
  /** What `hekima query` serves meanwhile: the last good snapshot, or null when it never succeeded. */
  readonly served: { readonly snapshot: string; readonly committed_at?: string } | null;
}

export const DIAGNOSIS_STEPS = ['bind', 'ingest', 'transform', 'shape', 'gate', 'commit', 'serve'] as const;
export type DiagnosisStep = (typeof DIAGNOSIS_STEPS)[number];

export interface DiagnosisError {
  /** The error kind, as the catalog records it (e.g. SchemaIncompatible). */
  readonly class: ErrorKind;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

export interface DiagnosisLocation {
  /** Workspace-relative, with `/`. */
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  /** What is there (e.g. `check "name_format"`, `input "raw-customers"`). */
  readonly what: string;
  /** The line and one either side, numbered, with a caret under the column. */
  readonly excerpt?: string;
}

export interface CheckEvidence {
  readonly name: string;
  readonly type: string;
  readonly measured: JsonValue;
  readonly threshold: JsonValue;
  readonly message: string;
  /** Up to 20 rows, masked per the reader's clearance. */
  readonly samples: readonly JsonObject[];
}

export interface NextAction {
  /** Whether running again without a change can succeed (a transient cause). */
  readonly retry_safe: boolean;
  /** The command to run (after the fix, when there is one to make). */
  readonly command: string;
  readonly advice: string;
}

const SHAPE_CODES = [
  'missing_columns',
  'cast_failed',
  'impossible_cast',
  'not_null_violation',
  'primary_key_duplicate',
];

/** The step an error comes from, by its code (the runtime's codes, see docs/diagnose.md). */
export function stepOfError(error: ErrorJSON): DiagnosisStep {
  const code = error.code;
  if (code === 'quality_gate_failed') return 'gate';
  if (code === 'conversion_failed' || code === 'sql_failed' || code === 'not_a_single_query') return 'transform';
  if (SHAPE_CODES.includes(code)) return 'shape';
  if (code === 'lease_lost' || code.startsWith('commit')) return 'commit';
  if (code.startsWith('serving') || code.startsWith('projection')) return 'serve';
  if (code === 'source_malformed' || code.startsWith('source_') || code.startsWith('connector')) return 'ingest';
  if (code.startsWith('input') || code.startsWith('upstream')) return 'bind';
  return 'transform';
}

/**
 * `text`'s line `line` (1-based) and one line either side, each numbered, with a caret under
 * `column` (1-based) when given; undefined when the line is not in the text.
 */
export function sourceExcerpt(text: string, line: number, column?: number): string | undefined {
  const lines = text.split(/\r?\n/);
  if (line < 1 || line > lines.length) return undefined;
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const body = (lines[n - 1] ?? '').slice(0, 200);
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${body}`);
    if (n === line && column !== undefined && column >= 1 && column <= 201)
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(column - 1)}^`);
  }
  return out.join('\n');
}

/** The 1-based line of a YAML list entry `key: value` (e.g. `- name: x`), or undefined. */
export function yamlEntryLine(text: string, key: string, value: string): number | undefined {
  const quoted = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\s*(?:-\\s+)?${key}:\\s*["']?${quoted}["']?\\s*(?:#.*)?$`);
  const index = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
  return index < 0 ? undefined : index + 1;
}
