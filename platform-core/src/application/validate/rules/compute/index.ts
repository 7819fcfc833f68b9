import type { Rule } from '../../rule.js';

/** Rules of the 'compute' family, one file each. */
export const computeRules: readonly Rule[] = [];
