import type { Rule } from '../../rule.js';
import { sty001ColumnDescription } from './sty-001-column-description.js';
import { sty002TagsContacts } from './sty-002-tags-contacts.js';
import { sty003InputVersionRange } from './sty-003-input-version-range.js';
import { sty004NoQualityChecks } from './sty-004-no-quality-checks.js';
import { sty005SelectStar } from './sty-005-select-star.js';

/** Rules of the 'style' family, one file each. */
export const styleRules: readonly Rule[] = [
  sty001ColumnDescription,
  sty002TagsContacts,
  sty003InputVersionRange,
  sty004NoQualityChecks,
  sty005SelectStar,
];
