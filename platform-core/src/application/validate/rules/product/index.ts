import type { Rule } from '../../rule.js';
import { prd001DeprecationWindow } from './prd-001-deprecation-window.js';
import { prd002OwnerTeam } from './prd-002-owner-team.js';
import { prd003ClassificationColumns } from './prd-003-classification-columns.js';
import { prd004ReviewDate } from './prd-004-review-date.js';

/** Rules of the 'product' family, one file each. */
export const productRules: readonly Rule[] = [
  prd001DeprecationWindow,
  prd002OwnerTeam,
  prd003ClassificationColumns,
  prd004ReviewDate,
];
