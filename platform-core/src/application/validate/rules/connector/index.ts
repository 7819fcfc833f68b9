import type { Rule } from '../../rule.js';

/** Rules of the 'connector' family, one file each. */
export const connectorRules: readonly Rule[] = [];
