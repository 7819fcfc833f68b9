import type { Rule } from '../../rule.js';

/** Rules of the 'serving' family, one file each. */
export const servingRules: readonly Rule[] = [];
