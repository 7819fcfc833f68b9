import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspacesRoot } from '@hekima/fixtures';
import { hekima } from './run-cli.js';

const retail = join(workspacesRoot, 'retail');

describe('hekima lineage', () => {
  it('prints the JSON contract for a column, upstream by default', async () => {
    const r = await hekima(['lineage', 'customer-lifetime-value', '--column', 'lifetime_revenue', '--json'], retail);
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.stdout) as {
      root: string;
      nodes: { id: string; kind: string }[];
      edges: { from: string; to: string; kind: string; subtype: string | null; file?: string }[];
      truncated: unknown[];
    };
    expect(graph.root).toBe('customer-lifetime-value.lifetime_revenue');
    expect(graph.edges).toContainEqual(
      expect.objectContaining({
        from: 'pos-transactions.net_amount',
        to: 'customer-lifetime-value.lifetime_revenue',
        kind: 'direct',
        subtype: 'AGGREGATION',
        file: 'customer-lifetime-value/logic/transform.sql',
      }),
    );
    // Depth 2: through pos-transactions to its connector input.
    expect(graph.nodes.map((n) => n.id)).toContain('pos-transactions/raw-pos-transactions.quantity');
  });

  it('renders Mermaid', async () => {
    const r = await hekima(['lineage', 'customer-lifetime-value', '--format', 'mermaid', '--depth', '1'], retail);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true);
  });

  it('exits 1 for an unknown product or column, naming the nearest', async () => {
    const product = await hekima(['lineage', 'customer-lifetime-valu'], retail);
    expect(product.code).toBe(1);
    expect(product.stderr).toContain("did you mean 'customer-lifetime-value'");
    const column = await hekima(['lineage', 'customer-lifetime-value', '--column', 'lifetime_revenu'], retail);
    expect(column.code).toBe(1);
    expect(column.stderr).toContain("did you mean 'lifetime_revenue'");
  });

  it('exits 2 for bad usage', async () => {
    expect((await hekima(['lineage', 'customers', '--depth', '0'], retail)).code).toBe(2);
    expect((await hekima(['lineage', 'customers', '--up', '--down'], retail)).code).toBe(2);
    expect((await hekima(['lineage', 'customers', '--format', 'svg'], retail)).code).toBe(2);
  });
});
