import type { CheckExpressions } from '../../../../ports/check-expressions.js';
import { describe, expect, it } from 'vitest';
import { YamlDocumentParser } from '../../../../adapters/yaml/yaml-document-parser.js';
import type { ManifestKind } from '../../../../domain/manifest/kinds.js';
import type { ProductUnit } from '../../product-unit.js';
import type { ReportOptions, Target, WorkspaceRule, ProductRule } from '../../rule.js';
import { readWorkspaceConfig, WorkspaceIndex } from '../../workspace-index.js';
import { dep001UnknownUpstream } from './dep-001-unknown-upstream.js';
import { dep002SelfDependency } from './dep-002-self-dependency.js';
import { dep003DependencyCycle } from './dep-003-dependency-cycle.js';
import { dep004DuplicateName } from './dep-004-duplicate-name.js';
import { dep005VersionRange, rangeAccepts } from './dep-005-version-range.js';
import { dep006ClassificationHighWater } from './dep-006-classification-high-water.js';
import { dep007AmbiguousInput } from './dep-007-ambiguous-input.js';
import { dependencyGraph, stronglyConnected } from './graph.js';

/** These rules never evaluate check expressions. */
const unusedExpressions: CheckExpressions = {
  check: () => {
    throw new Error('not used by these rules');
  },
  evaluate: () => {
    throw new Error('not used by these rules');
  },
};

const parser = new YamlDocumentParser();

interface Spec {
  folder?: string;
  name: string;
  domain?: string;
  version?: string;
  classification?: string;
  /** data_product input ids, or objects for a version range. */
  reads?: (string | { id: string; version: string })[];
}

function unit(spec: Spec): ProductUnit {
  const product = [
    'apiVersion: akili/v1',
    'kind: DataProduct',
    'metadata:',
    `  name: ${spec.name}`,
    `  domain: ${spec.domain ?? 'retail'}`,
    `  version: ${spec.version ?? '1.0.0'}`,
    `  classification: ${spec.classification ?? 'internal'}`,
    '',
  ].join('\n');
  const inputs = ['apiVersion: akili/v1', 'kind: Inputs', 'inputs:'];
  for (const r of spec.reads ?? []) {
    const id = typeof r === 'string' ? r : r.id;
    inputs.push(`  - id: ${id}`, '    type: data_product');
    if (typeof r !== 'string') inputs.push(`    version: "${r.version}"`);
  }
  if ((spec.reads ?? []).length === 0) inputs.push('  []');
  const folder = spec.folder ?? spec.name;
  const manifests: ProductUnit['manifests'] = {
    DataProduct: { file: `${folder}/product.yaml`, hash: `${folder}-p`, doc: parser.parse(product) },
    Inputs: {
      file: `${folder}/inputs.yaml`,
      hash: `${folder}-i`,
      doc: parser.parse(inputs.join('\n').replace('inputs:\n  []', 'inputs: []')),
    },
  };
  return { folder, manifests, files: new Set(['product.yaml', 'inputs.yaml']), texts: new Map() };
}

function indexOf(specs: Spec[]): WorkspaceIndex {
  return new WorkspaceIndex(specs.map(unit), readWorkspaceConfig(undefined));
}

interface Reported {
  folder: string;
  target: Target;
  message: string;
  options: ReportOptions;
}

function runWorkspace(rule: WorkspaceRule, index: WorkspaceIndex): Reported[] {
  const out: Reported[] = [];
  rule.check({
    index,
    report: (u, target, message, options) => out.push({ folder: u.folder, target, message, options }),
    reportWorkspace: () => {
      throw new Error('unexpected workspace finding');
    },
    replaceFix: (u, kind: ManifestKind, path, newText, title) => ({
      title,
      edits: [
        {
          file: `${u.folder}:${kind}:${path}`,
          range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
          newText,
        },
      ],
    }),
  });
  return out;
}

function runProduct(rule: ProductRule, index: WorkspaceIndex): Reported[] {
  const out: Reported[] = [];
  for (const s of index.summaries) {
    rule.check({
      unit: s.unit,
      index,
      sql: {
        ready: async () => {},
        analyze: () => {
          throw new Error('no sql');
        },
      },
      expressions: unusedExpressions,
      sqlLogic: () => undefined,
      report: (target, message, options) => out.push({ folder: s.unit.folder, target, message, options }),
      replaceFix: (kind, path, newText, title) => ({
        title,
        edits: [
          {
            file: `${s.unit.folder}:${kind}:${path}`,
            range: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
            newText,
          },
        ],
      }),
    });
  }
  return out;
}

const pathOf = (r: Reported) => ('path' in r.target ? r.target.path : undefined);

describe('stronglyConnected', () => {
  it('finds one component in a ring of 5,000 products without recursion', () => {
    const n = 5000;
    const edges = Array.from({ length: n }, (_, i) => [{ target: (i + 1) % n }]);
    const { components, component } = stronglyConnected(n, edges);
    expect(components).toHaveLength(1);
    expect(components[0]).toHaveLength(n);
    expect(new Set(component).size).toBe(1);
  });

  it('emits upstream components first along a chain of 5,000', () => {
    const n = 5000;
    // node i reads node i + 1
    const edges = Array.from({ length: n }, (_, i) => (i + 1 < n ? [{ target: i + 1 }] : []));
    const { components } = stronglyConnected(n, edges);
    expect(components).toHaveLength(n);
    expect(components[0]).toEqual([n - 1]);
    expect(components[n - 1]).toEqual([0]);
  });
});

describe('DEP-003 dependency cycles', () => {
  it('reports a two-product cycle on both inputs with the same message', () => {
    const found = runWorkspace(
      dep003DependencyCycle,
      indexOf([
        { name: 'b', reads: ['a'] },
        { name: 'a', reads: ['b'] },
        { name: 'c', reads: ['a'] },
      ]),
    );
    expect(found.map((f) => [f.folder, pathOf(f), f.message])).toEqual([
      ['a', '/inputs/0/id', "input 'b' closes a dependency cycle: a → b → a"],
      ['b', '/inputs/0/id', "input 'a' closes a dependency cycle: a → b → a"],
    ]);
  });

  it('gives every product of a component a cycle that passes through it', () => {
    // a ⇄ b and a ⇄ c: one component, two elementary cycles
    const found = runWorkspace(
      dep003DependencyCycle,
      indexOf([
        { name: 'a', reads: ['b', 'c'] },
        { name: 'b', reads: ['a'] },
        { name: 'c', reads: ['a'] },
      ]),
    );
    expect(found.map((f) => [f.folder, pathOf(f), f.message.split(': ')[1]]).sort()).toEqual([
      ['a', '/inputs/0/id', 'a → b → a'],
      ['b', '/inputs/0/id', 'a → b → a'],
      ['c', '/inputs/0/id', 'a → c → a'],
    ]);
  });

  it('lists a three-product cycle from its first name, in reading order', () => {
    const found = runWorkspace(
      dep003DependencyCycle,
      indexOf([
        { name: 'm', reads: ['z'] },
        { name: 'z', reads: ['b'] },
        { name: 'b', reads: ['m'] },
      ]),
    );
    expect(new Set(found.map((f) => f.message.split(': ')[1]))).toEqual(new Set(['b → m → z → b']));
    expect(found).toHaveLength(3);
  });

  it('ignores acyclic graphs, self-references and unknown ids', () => {
    const found = runWorkspace(
      dep003DependencyCycle,
      indexOf([
        { name: 'a', reads: ['a', 'nope'] },
        { name: 'b', reads: ['a'] },
      ]),
    );
    expect(found).toEqual([]);
  });

  it('handles a ring of 5,000 products: one finding each, elided but stable message', () => {
    const n = 5000;
    const name = (i: number) => `p${String(i).padStart(4, '0')}`;
    const specs = Array.from({ length: n }, (_, i) => ({ name: name(i), reads: [name((i + 1) % n)] }));
    const found = runWorkspace(dep003DependencyCycle, indexOf(specs));
    expect(found).toHaveLength(n);
    const messages = new Set(found.map((f) => f.message.split(': ')[1]));
    expect(messages.size).toBe(1);
    const [text] = [...messages];
    expect(text!.startsWith('p0000 → p0001 → ')).toBe(true);
    expect(text!.endsWith('→ p4999 → p0000')).toBe(true);
    expect(text).toContain('(4972 more)'); // 5,001 names (closed), 29 shown
  });

  it('finds a cycle closing a chain of 5,000 products', () => {
    const n = 5000;
    const name = (i: number) => `p${String(i).padStart(4, '0')}`;
    // p0 reads p1 reads … p4999; p4999 reads p2500: a cycle of 2,500 at the end of the chain
    const specs = Array.from({ length: n }, (_, i) => ({
      name: name(i),
      reads: [i + 1 < n ? name(i + 1) : name(2500)],
    }));
    const found = runWorkspace(dep003DependencyCycle, indexOf(specs));
    expect(found).toHaveLength(2500);
    expect(found.every((f) => Number(f.folder.slice(1)) >= 2500)).toBe(true);
  });
});

describe('DEP-006 classification high-water mark', () => {
  it('reports the chain that forces the level, transitively', () => {
    const found = runWorkspace(
      dep006ClassificationHighWater,
      indexOf([
        { name: 'payments', classification: 'confidential' },
        { name: 'orders', classification: 'internal', reads: ['payments'] },
        { name: 'customer-orders', classification: 'internal', reads: ['orders'] },
        { name: 'report', classification: 'restricted', reads: ['customer-orders'] },
      ]),
    );
    expect(found.map((f) => [f.folder, pathOf(f), f.message, f.options.fix?.edits[0]?.newText])).toEqual([
      [
        'customer-orders',
        '/metadata/classification',
        "classification 'internal' is below 'confidential': customer-orders (internal) reads orders → payments (confidential)",
        'confidential',
      ],
      [
        'orders',
        '/metadata/classification',
        "classification 'internal' is below 'confidential': orders (internal) reads payments (confidential)",
        'confidential',
      ],
    ]);
  });

  it('takes the highest of several inputs and stops the chain at the product that sets the level', () => {
    const found = runWorkspace(
      dep006ClassificationHighWater,
      indexOf([
        { name: 'a', classification: 'restricted' },
        { name: 'b', classification: 'confidential', reads: ['a'] },
        { name: 'c', classification: 'restricted', reads: ['b'] },
        { name: 'd', classification: 'confidential' },
        { name: 'e', classification: 'public', reads: ['d', 'c'] },
      ]),
    );
    expect(found.map((f) => [f.folder, f.message.split(': ')[1]])).toEqual([
      ['b', 'b (confidential) reads a (restricted)'],
      ['e', 'e (public) reads c (restricted)'],
    ]);
  });

  it('ignores cycle edges', () => {
    const found = runWorkspace(
      dep006ClassificationHighWater,
      indexOf([
        { name: 'a', classification: 'public', reads: ['b'] },
        { name: 'b', classification: 'restricted', reads: ['a'] },
      ]),
    );
    expect(found).toEqual([]);
  });

  it('propagates along a chain of 5,000 products', () => {
    const n = 5000;
    const name = (i: number) => `p${String(i).padStart(4, '0')}`;
    // p0 reads p1 … p4999, and p4999 is restricted
    const specs = Array.from({ length: n }, (_, i) => ({
      name: name(i),
      classification: i === n - 1 ? 'restricted' : 'public',
      reads: i + 1 < n ? [name(i + 1)] : [],
    }));
    const found = runWorkspace(dep006ClassificationHighWater, indexOf(specs));
    expect(found).toHaveLength(n - 1);
    const first = found.find((f) => f.folder === 'p0000')!;
    expect(first.message).toMatch(
      /^classification 'public' is below 'restricted': p0000 \(public\) reads p0001 → .* → p4999 \(restricted\)$/,
    );
    expect(first.message).toContain('more)');
  });
});

describe('input resolution (DEP-001, DEP-002, DEP-004, DEP-007)', () => {
  it('DEP-001 suggests the nearest product name and offers a fix only when one exists', () => {
    const found = runWorkspace(
      dep001UnknownUpstream,
      indexOf([{ name: 'orders' }, { name: 'report', reads: ['ordrs', 'zzz-unrelated'] }]),
    );
    expect(found.map((f) => [pathOf(f), f.message, f.options.fix?.edits[0]?.newText])).toEqual([
      ['/inputs/0/id', "input 'ordrs' names no product of the workspace", 'orders'],
      ['/inputs/1/id', "input 'zzz-unrelated' names no product of the workspace", undefined],
    ]);
    expect(found[0]!.options.hint).toContain("Did you mean 'orders'?");
  });

  it('DEP-002 reports a product reading itself, but not when the name also exists in another domain', () => {
    expect(runProduct(dep002SelfDependency, indexOf([{ name: 'orders', reads: ['orders'] }])).map(pathOf)).toEqual([
      '/inputs/0/id',
    ]);
    const index = indexOf([
      { folder: 'retail/orders', name: 'orders', domain: 'retail', reads: ['orders'] },
      { folder: 'finance/orders', name: 'orders', domain: 'finance' },
    ]);
    expect(runProduct(dep002SelfDependency, index)).toEqual([]);
    const ambiguous = runProduct(dep007AmbiguousInput, index);
    expect(ambiguous).toHaveLength(1);
    expect(ambiguous[0]!.message).toContain('Hekima reads finance/orders');
  });

  it('DEP-004 reports same-name products of one domain on each, naming the other folder', () => {
    const found = runWorkspace(
      dep004DuplicateName,
      indexOf([
        { folder: 'a/orders', name: 'orders' },
        { folder: 'b/orders', name: 'orders' },
        { folder: 'c/orders', name: 'orders', domain: 'finance' },
      ]),
    );
    expect(found.map((f) => [f.folder, f.message])).toEqual([
      ['a/orders', "product name 'orders' is also used in domain 'retail' by b/orders/"],
      ['b/orders', "product name 'orders' is also used in domain 'retail' by a/orders/"],
    ]);
  });

  it('DEP-007 warns on ids naming products of several domains and says which one is read', () => {
    const found = runProduct(
      dep007AmbiguousInput,
      indexOf([
        { folder: 'retail/customers', name: 'customers', domain: 'retail' },
        { folder: 'finance/customers', name: 'customers', domain: 'finance' },
        { folder: 'report', name: 'report', domain: 'retail', reads: ['customers'] },
        { folder: 'other', name: 'other', domain: 'hr', reads: ['customers'] },
      ]),
    );
    expect(found.map((f) => [f.folder, f.message.split('; ')[1]])).toEqual([
      ['other', 'Hekima cannot tell which one to read'],
      ['report', "Hekima reads retail/customers/, the one in this product's domain"],
    ]);
  });

  it('builds edges only for resolved inputs', () => {
    const graph = dependencyGraph(indexOf([{ name: 'a', reads: ['b', 'missing', 'a'] }, { name: 'b' }]));
    expect(graph.edges.map((e) => e.map((x) => graph.nodes[x.target]!.name))).toEqual([['b'], []]);
  });
});

describe('DEP-005 version ranges', () => {
  it('checks ranges with semver, latest always passing and invalid values skipped', () => {
    expect(rangeAccepts('^1.0.0', '2.0.0')).toBe(false);
    expect(rangeAccepts('>=1.0.0', '2.3.4')).toBe(true);
    expect(rangeAccepts('latest', '9.9.9')).toBe(true);
    expect(rangeAccepts('not a range', '1.0.0')).toBeUndefined();
    expect(rangeAccepts('^1.0.0', '1.0')).toBeUndefined();
  });

  it('reports on the version with a fix accepting the current upstream version', () => {
    const found = runProduct(
      dep005VersionRange,
      indexOf([
        { name: 'orders', version: '2.1.0' },
        { name: 'report', reads: [{ id: 'orders', version: '~1.2.0' }] },
      ]),
    );
    expect(found.map((f) => [pathOf(f), f.message, f.options.fix?.edits[0]?.newText])).toEqual([
      [
        '/inputs/0/version',
        "'orders' is at version 2.1.0, which does not satisfy the range '~1.2.0' of input 'orders'",
        '^2.1.0',
      ],
    ]);
  });
});

describe('defensiveness', () => {
  it('never throws on products with broken manifests', () => {
    const broken: ProductUnit = {
      folder: 'broken',
      manifests: {
        DataProduct: { file: 'broken/product.yaml', hash: 'x', doc: parser.parse('metadata: [1, 2]\n') },
        Inputs: {
          file: 'broken/inputs.yaml',
          hash: 'y',
          doc: parser.parse('inputs:\n  - 42\n  - id: 7\n  - {id: orders, type: data_product, version: 12}\n'),
        },
      },
      files: new Set(),
      texts: new Map(),
    };
    const index = new WorkspaceIndex(
      [broken, unit({ name: 'orders', classification: 'secret' })],
      readWorkspaceConfig(undefined),
    );
    for (const rule of [
      dep001UnknownUpstream,
      dep003DependencyCycle,
      dep004DuplicateName,
      dep006ClassificationHighWater,
    ])
      expect(() => runWorkspace(rule, index)).not.toThrow();
    for (const rule of [dep002SelfDependency, dep005VersionRange, dep007AmbiguousInput])
      expect(() => runProduct(rule, index)).not.toThrow();
  });
});
