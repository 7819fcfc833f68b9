import type { Rule } from '../../rule.js';

/** Rules of the 'logic' family, one file each. */
export const logicRules: readonly Rule[] = [];
