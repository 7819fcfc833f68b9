import type { Finding } from '../../domain/finding.js';
import { MANIFEST_FILES, MANIFEST_KINDS } from '../../domain/manifest/kinds.js';
import { joinPath, type ProductUnit } from './product-unit.js';
import { minimalManifest } from '../scaffold/templates.js';

/** MAN-001: every product folder holds all six manifests. */
export function missingManifestFindings(unit: ProductUnit, name: string | null): Finding[] {
  const anchor = unit.manifests.DataProduct;
  if (!anchor) return [];
  const findings: Finding[] = [];
  for (const kind of MANIFEST_KINDS) {
    if (unit.manifests[kind]) continue;
    const missing = joinPath(unit.folder, MANIFEST_FILES[kind]);
    findings.push({
      code: 'MAN-001',
      severity: 'error',
      product: { name, folder: unit.folder },
      file: anchor.file,
      path: '',
      range: anchor.doc.rangeOf('/kind'),
      message: `${MANIFEST_FILES[kind]} is missing from product folder ${unit.folder}; every product needs all six manifests`,
      hint: `Create ${missing} with \`apiVersion: akili/v1\` and \`kind: ${kind}\` (\`hekima init\` scaffolds all six).`,
      fix: {
        title: `Create ${MANIFEST_FILES[kind]}`,
        edits: [
          {
            file: missing,
            range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
            newText: minimalManifest(kind),
          },
        ],
      },
    });
  }
  return findings;
}
