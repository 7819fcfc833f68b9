import type { Rule } from '../../rule.js';

/** Rules of the 'style' family, one file each. */
export const styleRules: readonly Rule[] = [];
