import type { HashedPlan } from '../../domain/plan/product-plan.js';

/** Names of the products a plan reads (data_product inputs). */
export function upstreamOf(plan: HashedPlan): string[] {
  return plan.inputs.flatMap((i) => (i.type === 'data_product' ? [i.upstream.product] : []));
}

/**
 * Plans in dependency order (upstream first, ties by name); with `only`, that product and what it
 * needs. Cycles are refused by validation, so a leftover here is appended in name order.
 */
export function productOrder(plans: readonly HashedPlan[], only?: string): HashedPlan[] {
  const byName = new Map(plans.map((p) => [p.product.name, p]));
  const wanted = new Set<string>();
  const want = (name: string) => {
    if (wanted.has(name) || !byName.has(name)) return;
    wanted.add(name);
    for (const up of upstreamOf(byName.get(name)!)) want(up);
  };
  if (only === undefined) for (const name of byName.keys()) wanted.add(name);
  else want(only);
  const done = new Set<string>();
  const out: HashedPlan[] = [];
  const names = [...wanted].sort();
  while (out.length < names.length) {
    const ready = names.filter(
      (n) => !done.has(n) && upstreamOf(byName.get(n)!).every((u) => done.has(u) || !wanted.has(u)),
    );
    const next = ready.length > 0 ? ready : names.filter((n) => !done.has(n));
    for (const n of next) {
      done.add(n);
      out.push(byName.get(n)!);
    }
  }
  return out;
}
