import type { Rule } from '../../rule.js';

/** Rules of the 'inputs' family, one file each. */
export const inputsRules: readonly Rule[] = [];
