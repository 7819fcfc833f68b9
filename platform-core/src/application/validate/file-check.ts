import type { Finding } from '../../domain/finding.js';
import type { ManifestKind } from '../../domain/manifest/kinds.js';
import { MANIFEST_FILES } from '../../domain/manifest/kinds.js';
import type { ManifestFile } from './product-unit.js';
import type { SchemaChecker } from './schema-check.js';

/** Findings of one file on its own: YAML syntax, duplicate keys, header, schema. */
export function checkFile(
  file: ManifestFile,
  kind: ManifestKind | 'Workspace',
  product: Finding['product'],
  schema: SchemaChecker,
): Finding[] {
  const findings: Finding[] = [];
  const { doc } = file;
  for (const problem of doc.problems) {
    const duplicate = problem.kind === 'duplicate-key';
    findings.push({
      code: duplicate ? 'MAN-003' : 'MAN-002',
      severity: 'error',
      product,
      file: file.file,
      path: problem.path,
      range: problem.range,
      message: duplicate ? `duplicate key: ${problem.message}` : `YAML syntax error: ${problem.message}`,
      hint: duplicate
        ? 'A key may appear only once in a mapping; YAML tools silently keep one of the values. Merge the two entries or rename one.'
        : 'Fix the YAML syntax at this position (indentation, a missing colon, an unclosed quote or bracket).',
    });
  }
  if (doc.problems.some((p) => p.kind === 'syntax')) return findings;
  const value = doc.value;
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    const expected =
      kind === 'Workspace'
        ? 'a mapping with tenant, teams and connections'
        : `a mapping that starts with apiVersion: akili/v1 and kind: ${kind}`;
    findings.push({
      code: 'MAN-006',
      severity: 'error',
      product,
      file: file.file,
      path: '',
      range: doc.rangeOf(''),
      message: `${file.file} is ${value === undefined || value === null ? 'empty' : Array.isArray(value) ? 'a list' : 'a single value'}; it must be ${expected}`,
      hint:
        kind === 'Workspace'
          ? 'Write hekima.yaml as a mapping, e.g. `tenant: acme`.'
          : `Start the file with:\napiVersion: akili/v1\nkind: ${kind}\n(see \`hekima schema ${MANIFEST_FILES[kind].replace('.yaml', '')}\`).`,
    });
    return findings;
  }
  for (const problem of schema.check(kind, value)) {
    const range = doc.rangeOf(problem.path, problem.part);
    let fix: Finding['fix'];
    if (problem.replacement) {
      if (problem.part === 'key') {
        fix = {
          title: problem.replacement.title,
          edits: [{ file: file.file, range, newText: problem.replacement.text }],
        };
      } else {
        const span = doc.scalarSpan(problem.path);
        if (span && !span.block) {
          fix = {
            title: problem.replacement.title,
            edits: [{ file: file.file, range: doc.rangeAt(span.start, span.end), newText: problem.replacement.text }],
          };
        }
      }
    }
    findings.push({
      code: problem.code,
      severity: problem.severity,
      product,
      file: file.file,
      path: problem.path,
      range,
      message: problem.message,
      hint: problem.hint,
      ...(fix ? { fix } : {}),
    });
  }
  return findings;
}
