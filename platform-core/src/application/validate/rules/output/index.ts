import type { Rule } from '../../rule.js';
import { xval023DeprecatedIdentity } from './xval-023-deprecated-identity.js';

/** Rules of the 'output' family, one file each. */
export const outputRules: readonly Rule[] = [xval023DeprecatedIdentity];
