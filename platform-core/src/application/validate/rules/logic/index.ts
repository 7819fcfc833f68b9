import type { Rule } from '../../rule.js';
import { log001SqlSyntax } from './log-001-sql-syntax.js';
import { log002SingleQuery } from './log-002-single-query.js';
import { log003UnknownTable } from './log-003-unknown-table.js';
import { log004UnknownColumn } from './log-004-unknown-column.js';
import { log005MissingOutputColumn } from './log-005-missing-output-column.js';
import { log006UndeclaredOutputColumn } from './log-006-undeclared-output-column.js';
import { log007UnnamedOutputExpression } from './log-007-unnamed-output-expression.js';
import { log008DuplicateOutputColumn } from './log-008-duplicate-output-column.js';
import { log009PythonTransform } from './log-009-python-transform.js';
import { log010UnusedInput } from './log-010-unused-input.js';
import { log011ExternalRead } from './log-011-external-read.js';
import { log012DuckdbOnlyOnSpark } from './log-012-duckdb-only-on-spark.js';

/** Rules of the 'logic' family, one file each. */
export const logicRules: readonly Rule[] = [
  log001SqlSyntax,
  log002SingleQuery,
  log003UnknownTable,
  log004UnknownColumn,
  log005MissingOutputColumn,
  log006UndeclaredOutputColumn,
  log007UnnamedOutputExpression,
  log008DuplicateOutputColumn,
  log009PythonTransform,
  log010UnusedInput,
  log011ExternalRead,
  log012DuckdbOnlyOnSpark,
];
