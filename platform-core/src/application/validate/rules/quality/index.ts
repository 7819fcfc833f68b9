import type { Rule } from '../../rule.js';

/** Rules of the 'quality' family, one file each. */
export const qualityRules: readonly Rule[] = [];
