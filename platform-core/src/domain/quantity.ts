/**
 * Kubernetes resource quantities (the `resource.Quantity` grammar): a signed decimal number
 * with an optional binary (Ki…Ei), decimal (n u m k M G T P E) or exponent (e3, E-2) suffix.
 */
const QUANTITY_RE = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;
export const QUANTITY_PATTERN = QUANTITY_RE.source;

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function isQuantity(value: string): boolean {
  return QUANTITY_RE.test(value);
}

/** The numeric value of a quantity (cores for CPU, bytes for memory), or undefined. */
export function quantityValue(value: string): number | undefined {
  if (!QUANTITY_RE.test(value)) return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(value);
  if (!m) return undefined;
  const num = Number(m[1]);
  const suffix = m[2] ?? '';
  if (/^[eE]/.test(suffix)) return num * 10 ** Number(suffix.slice(1));
  const factor = SUFFIX[suffix];
  return factor === undefined ? undefined : num * factor;
}
