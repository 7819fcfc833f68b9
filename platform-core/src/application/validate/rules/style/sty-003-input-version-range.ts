import { semver } from '../../../../domain/semver.js';
import type { Fix } from '../../../../domain/finding.js';
import type { ProductUnit } from '../../product-unit.js';
import { defineRule } from '../../rule.js';
import { resolveInput } from '../dependency/graph.js';

/** Inserts `version: "<range>"` after the id of a block-style input (`- id: x` on its own line). */
function insertVersionFix(unit: ProductUnit, inputIndex: number, range: string): Fix | undefined {
  const manifest = unit.manifests.Inputs;
  if (!manifest) return undefined;
  const doc = manifest.doc;
  const span = doc.scalarSpan(`/inputs/${inputIndex}/id`);
  if (!span || span.block) return undefined;
  const lineStart = doc.text.lastIndexOf('\n', span.start - 1) + 1;
  let lineEnd = doc.text.indexOf('\n', span.start);
  if (lineEnd < 0) lineEnd = doc.text.length;
  const line = doc.text.slice(lineStart, lineEnd);
  const match = /^(\s*)(- )?id\s*:/.exec(line);
  if (!match) return undefined; // flow style: leave it to the author
  const indent = (match[1] ?? '').length + (match[2] ?? '').length;
  const eol = line.endsWith('\r') ? lineEnd - 1 : lineEnd;
  const newline = line.endsWith('\r') ? '\r\n' : '\n';
  return {
    title: `Add version: "${range}"`,
    edits: [
      {
        file: manifest.file,
        range: doc.rangeAt(eol, eol),
        newText: `${newline}${' '.repeat(indent)}version: "${range}"`,
      },
    ],
  };
}

export const sty003InputVersionRange = defineRule({
  code: 'STY-003',
  scope: 'product',
  severity: 'warning',
  family: 'style',
  tier: 'strict',
  title: 'data_product inputs pin a version range',
  explain: {
    why: 'Without a version (or with latest) a consumer silently picks up every new major version of its upstream, including incompatible output changes. A range such as ^1.2.0 says which contract the logic was written for; DEP-005 then tells you when the upstream moves past it.',
    bad: 'inputs:\n  - id: orders\n    type: data_product',
    good: 'inputs:\n  - id: orders\n    type: data_product\n    version: ^1.0.0',
  },
  check(ctx) {
    const reader = ctx.index.summaryOf(ctx.unit);
    if (!reader) return;
    for (const input of reader.upstream) {
      const version = input.raw['version'];
      if (version !== undefined && version !== 'latest') continue;
      const upstream = resolveInput(ctx.index, reader, input.id).target;
      const current =
        upstream?.version !== undefined && semver.valid(upstream.version) === upstream.version
          ? upstream.version
          : undefined;
      const range = current !== undefined ? `^${current}` : undefined;
      const path = version === undefined ? `/inputs/${input.index}/id` : `/inputs/${input.index}/version`;
      const fix =
        range === undefined
          ? undefined
          : version === undefined
            ? insertVersionFix(ctx.unit, input.index, range)
            : ctx.replaceFix('Inputs', path, range, `Pin ${range}`);
      ctx.report(
        { kind: 'Inputs', path },
        version === undefined
          ? `input '${input.id}' declares no version range`
          : `input '${input.id}' reads version 'latest' instead of a version range`,
        {
          hint: `Pin the major version the logic was written for, e.g. version: "${range ?? '^1.0.0'}"${current !== undefined ? ` (${input.id} is at ${current})` : ''}.`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
