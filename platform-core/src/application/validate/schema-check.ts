import type { Severity } from '../../domain/finding.js';
import { checkFormat } from '../../domain/formats.js';
import { suggestDuration } from '../../domain/duration.js';
import { nearest } from '../../domain/nearest.js';
import { fromPointer, toPointer } from '../../domain/json-pointer.js';
import { schemaOf, type ManifestKind } from '../../domain/manifest/kinds.js';
import type { JsonSchemaValidator, SchemaViolation } from '../../ports/json-schema-validator.js';
import type { RangePart } from '../../ports/source-document.js';

/** A schema problem before it is placed in a file. */
export interface SchemaProblem {
  readonly code: string;
  readonly severity: Severity;
  readonly path: string;
  readonly part: RangePart;
  readonly message: string;
  readonly hint: string;
  /** Replacement text for the key (part 'key') or value (part 'value') when the fix is mechanical. */
  readonly replacement?: { readonly text: string; readonly title: string };
}

type Kind = ManifestKind | 'Workspace';

/** Maps the violations a JSON Schema validator reports to schema problems with messages and fixes. */
export class SchemaChecker {
  constructor(private readonly validator: JsonSchemaValidator) {}

  check(kind: Kind, value: unknown): SchemaProblem[] {
    const errors = this.validator.validate(kind, value);
    if (errors.length === 0) return [];
    const problems: SchemaProblem[] = [];
    const seen = new Set<string>();
    // A value with both a pattern and a format (durations, quantities) is reported once, by format.
    const formatted = new Set(errors.filter((e) => e.keyword === 'format').map((e) => e.instancePath));
    for (const error of errors) {
      if (error.keyword === 'pattern' && formatted.has(error.instancePath)) continue;
      const problem = toProblem(kind, error);
      if (!problem) continue;
      const key = `${problem.code}|${problem.path}|${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
    return problems;
  }
}

function label(path: string): string {
  const segments = fromPointer(path);
  if (segments.length === 0) return 'the document';
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function describe(schema: unknown): string {
  const d = (schema as { description?: unknown } | undefined)?.description;
  return typeof d === 'string' ? d : '';
}

function toProblem(kind: Kind, error: SchemaViolation): SchemaProblem | undefined {
  const path = error.instancePath;
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  const data = error.data;
  const where = label(path);
  switch (error.keyword) {
    case 'if':
      return undefined;
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const child = toPointer([...fromPointer(path), missing]);
      const props = (parent?.['properties'] ?? {}) as Record<string, unknown>;
      const about = describe(props[missing]) || describe(schemaAt(schemaOf(kind), fromPointer(child)));
      return {
        code: 'SCH-001',
        severity: 'error',
        path: child,
        part: 'key',
        message: `${label(child)} is required but missing${path ? ` in ${where}` : ''}`,
        hint: `Add \`${missing}:\`${about ? ` — ${about}` : ''}`,
      };
    }
    case 'additionalProperties': {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      const child = toPointer([...fromPointer(path), extra]);
      const known = Object.keys((parent?.['properties'] ?? {}) as Record<string, unknown>);
      const near = nearest(extra, known);
      return {
        code: 'SCH-007',
        severity: 'warning',
        path: child,
        part: 'key',
        message: `unknown key '${extra}' in ${where}; it is ignored`,
        hint: near
          ? `Did you mean '${near}'? Known keys: ${known.join(', ')}.`
          : `Remove it, or use one of: ${known.join(', ') || '(no keys)'}.`,
        ...(near ? { replacement: { text: near, title: `Rename '${extra}' to '${near}'` } } : {}),
      };
    }
    case 'const': {
      const expected = (error.params as { allowedValue: unknown }).allowedValue;
      if (path === '/apiVersion') {
        return {
          code: 'MAN-004',
          severity: 'error',
          path,
          part: 'value',
          message: `apiVersion ${show(data)} is not supported; it must be '${String(expected)}'`,
          hint: `Write \`apiVersion: ${String(expected)}\`.`,
          replacement: { text: String(expected), title: `Set apiVersion to ${String(expected)}` },
        };
      }
      if (path === '/kind') {
        return {
          code: 'MAN-005',
          severity: 'error',
          path,
          part: 'value',
          message: `kind ${show(data)} does not match this file; it must be '${String(expected)}'`,
          hint: `Each manifest file holds one kind: write \`kind: ${String(expected)}\`, or move the content to the file of kind ${show(data)}.`,
          replacement: { text: String(expected), title: `Set kind to ${String(expected)}` },
        };
      }
      return {
        code: 'SCH-003',
        severity: 'error',
        path,
        part: 'value',
        message: `${where} is ${show(data)}; it must be ${show(expected)}`,
        hint: `Write ${show(expected)}.`,
      };
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const near = typeof data === 'string' ? nearest(data, allowed) : undefined;
      return {
        code: 'SCH-003',
        severity: 'error',
        path,
        part: 'value',
        message: `${where} has ${show(data)}, which is not one of its allowed values`,
        hint: `${near ? `Did you mean '${near}'? ` : ''}Allowed: ${allowed.join(', ')}.`,
        ...(near ? { replacement: { text: near, title: `Replace with '${near}'` } } : {}),
      };
    }
    case 'type': {
      const expected = (error.params as { type: string | string[] }).type;
      const exp = Array.isArray(expected) ? expected.join(' or ') : expected;
      const about = describe(parent);
      return {
        code: 'SCH-002',
        severity: 'error',
        path,
        part: 'value',
        message: `${where} must be ${article(exp)}, not ${typeName(data)}${data !== null && typeof data !== 'object' ? ` (${show(data)})` : ''}`,
        hint: about ? `${where}: ${about}` : `Write ${article(exp)} here.`,
      };
    }
    case 'anyOf':
    case 'oneOf': {
      return {
        code: 'SCH-002',
        severity: 'error',
        path,
        part: 'value',
        message: `${where} has ${show(data)}, which matches none of the accepted shapes`,
        hint: describe(parent) || 'See `hekima schema` for the accepted shapes.',
      };
    }
    case 'pattern': {
      const pattern = (error.params as { pattern: string }).pattern;
      const about = describe(parent);
      const format = parent?.['format'];
      if (format === 'duration' && typeof data === 'string') return durationProblem(path, data);
      return {
        code: 'SCH-004',
        severity: 'error',
        path,
        part: 'value',
        message: `${where} ${show(data)} does not match the required pattern ${pattern}`,
        hint: about || `Use a value matching ${pattern}.`,
      };
    }
    case 'format': {
      const format = (error.params as { format: string }).format;
      if (typeof data !== 'string') return undefined;
      if (format === 'duration') return durationProblem(path, data);
      const reason = checkFormat(format, data) ?? `not a valid ${format}`;
      return {
        code: 'SCH-005',
        severity: 'error',
        path,
        part: 'value',
        message: `${where} ${show(data)} is not a valid ${format}: ${reason}`,
        hint: describe(parent) || reason,
      };
    }
    case 'minLength':
    case 'maxLength':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minItems':
    case 'maxItems':
    case 'uniqueItems':
    case 'minProperties':
    case 'maxProperties':
      return {
        code: 'SCH-006',
        severity: 'error',
        path,
        part: 'value',
        message: `${where} ${boundsMessage(error, data)}`,
        hint: describe(parent) || `Adjust ${where}.`,
      };
    default:
      return {
        code: 'SCH-002',
        severity: 'error',
        path,
        part: 'value',
        message: `${where} ${error.message ?? 'is invalid'}`,
        hint: describe(parent) || `See \`hekima schema ${kind}\`.`,
      };
  }
}

/** The schema of the value at an instance path, following properties, items and if/then branches. */
function schemaAt(schema: unknown, segments: readonly string[]): unknown {
  let current: unknown = schema;
  for (const segment of segments) {
    const s = current as Record<string, unknown> | undefined;
    if (!s) return undefined;
    const props = s['properties'] as Record<string, unknown> | undefined;
    if (props && segment in props) {
      current = props[segment];
      continue;
    }
    const items = s['items'];
    if (items && /^\d+$/.test(segment)) {
      current = items;
      continue;
    }
    const branches = ((s['allOf'] as { then?: Record<string, unknown> }[] | undefined) ?? []).map((b) => b.then);
    const hit = branches.find((b) => (b?.['properties'] as Record<string, unknown> | undefined)?.[segment]);
    if (!hit) return undefined;
    current = (hit['properties'] as Record<string, unknown>)[segment];
  }
  return current;
}

function durationProblem(path: string, data: string): SchemaProblem {
  const suggestion = suggestDuration(data);
  return {
    code: 'SCH-005',
    severity: 'error',
    path,
    part: 'value',
    message: `${label(path)} '${data}' is not a duration`,
    hint: `${suggestion ? `Did you mean '${suggestion}'? ` : ''}A duration is a whole number and one unit of s, m, h or d (e.g. 30m, 4h, 90d).`,
    ...(suggestion ? { replacement: { text: suggestion, title: `Replace with '${suggestion}'` } } : {}),
  };
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function boundsMessage(error: SchemaViolation, data: unknown): string {
  const p = error.params as { limit?: number; i?: number; j?: number };
  switch (error.keyword) {
    case 'minLength':
      return `${show(data)} is too short: at least ${p.limit} characters are required`;
    case 'maxLength':
      return `${show(data)} is too long: at most ${p.limit} characters are allowed`;
    case 'minimum':
      return `is ${show(data)}; the minimum is ${p.limit}`;
    case 'maximum':
      return `is ${show(data)}; the maximum is ${p.limit}`;
    case 'minItems':
      return `needs at least ${p.limit} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `allows at most ${p.limit} items`;
    case 'uniqueItems':
      return `has a repeated item (items ${p.j} and ${p.i} are equal)`;
    case 'minProperties':
      return `needs at least ${p.limit} setting${p.limit === 1 ? '' : 's'}`;
    default:
      return error.message ?? 'is out of bounds';
  }
}
