import type { Rule } from '../../rule.js';
import { srv001UnknownColumn } from './srv-001-unknown-column.js';
import { srv002HistoryTrackedColumns } from './srv-002-history-tracked-columns.js';
import { srv003KeyTemplateColumn } from './srv-003-key-template-column.js';
import { srv004TimeColumnType } from './srv-004-time-column-type.js';
import { srv005DuplicateEndpoint } from './srv-005-duplicate-endpoint.js';
import { srv006KeyTemplateUnique } from './srv-006-key-template-unique.js';

/** Rules of the 'serving' family, one file each. */
export const servingRules: readonly Rule[] = [
  srv001UnknownColumn,
  srv002HistoryTrackedColumns,
  srv003KeyTemplateColumn,
  srv004TimeColumnType,
  srv005DuplicateEndpoint,
  srv006KeyTemplateUnique,
];
