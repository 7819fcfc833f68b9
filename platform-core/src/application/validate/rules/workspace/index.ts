import type { Rule } from '../../rule.js';

/** Rules of the 'workspace' family, one file each. */
export const workspaceRules: readonly Rule[] = [];
