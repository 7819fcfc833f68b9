import type { Rule } from '../../rule.js';
import { qua001DuplicateCheck } from './qua-001-duplicate-check.js';
import { qua002UnknownColumn } from './qua-002-unknown-column.js';
import { qua003BoundsOrder } from './qua-003-bounds-order.js';
import { qua004PythonEntrypoint } from './qua-004-python-entrypoint.js';
import { qua005ReferentialTarget } from './qua-005-referential-target.js';
import { qua006CustomSqlOutput } from './qua-006-custom-sql-output.js';
import { qua007ColumnType } from './qua-007-column-type.js';
import { qua010ExpectExpression } from './qua-010-expect-expression.js';

/** Rules of the 'quality' family, one file each. */
export const qualityRules: readonly Rule[] = [
  qua001DuplicateCheck,
  qua002UnknownColumn,
  qua003BoundsOrder,
  qua004PythonEntrypoint,
  qua005ReferentialTarget,
  qua006CustomSqlOutput,
  qua007ColumnType,
  qua010ExpectExpression,
];
