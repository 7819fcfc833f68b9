import type { Rule } from '../../rule.js';

/** Rules of the 'dependency' family, one file each. */
export const dependencyRules: readonly Rule[] = [];
