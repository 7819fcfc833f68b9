import type { Rule } from '../../rule.js';

/** Rules of the 'product' family, one file each. */
export const productRules: readonly Rule[] = [];
