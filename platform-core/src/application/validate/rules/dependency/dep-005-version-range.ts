import { semver } from '../../../../domain/semver.js';
import { defineRule } from '../../rule.js';
import { str } from '../../product-unit.js';
import { label, resolveInput } from './graph.js';

/** Whether a declared range accepts a version; undefined when either is not valid (the schema pass reports that). */
export function rangeAccepts(range: string, version: string): boolean | undefined {
  if (range.trim() === 'latest') return true;
  if (semver.valid(version) === null || semver.validRange(range) === null) return undefined;
  return semver.satisfies(version, range);
}

export const dep005VersionRange = defineRule({
  code: 'DEP-005',
  scope: 'product',
  severity: 'error',
  family: 'dependency',
  tier: 'full',
  title: 'The upstream version satisfies the input version range',
  explain: {
    why: 'The version range of a data_product input is the contract the consumer was written against; the upstream product bumps its major version when it changes its output incompatibly. When the upstream version is outside the range, the consumer would read an output it was not written for (or wait for a version that no longer exists). Review the upstream change, adapt the logic, then widen the range.',
    bad: '# orders/product.yaml: version: 2.0.0\n# customer-orders/inputs.yaml\ninputs:\n  - id: orders\n    type: data_product\n    version: ^1.0.0',
    good: 'inputs:\n  - id: orders\n    type: data_product\n    version: ^2.0.0',
  },
  check(ctx) {
    const reader = ctx.index.summaryOf(ctx.unit);
    if (!reader) return;
    for (const input of reader.upstream) {
      const range = str(input.raw['version']);
      if (range === undefined) continue;
      const upstream = resolveInput(ctx.index, reader, input.id).target;
      if (upstream?.version === undefined) continue;
      if (rangeAccepts(range, upstream.version) !== false) continue;
      const path = `/inputs/${input.index}/version`;
      const suggested = `^${upstream.version}`;
      const fix = ctx.replaceFix(
        'Inputs',
        path,
        suggested,
        `Accept ${label(upstream)} ${upstream.version} (${suggested})`,
      );
      ctx.report(
        { kind: 'Inputs', path },
        `'${label(upstream)}' is at version ${upstream.version}, which does not satisfy the range '${range}' of input '${input.id}'`,
        {
          hint: `Check what changed in '${label(upstream)}' ${upstream.version} (a major bump means an incompatible output), adapt this product, then set version: "${suggested}".`,
          ...(fix ? { fix } : {}),
        },
      );
    }
  },
});
