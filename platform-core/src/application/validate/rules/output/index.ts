import type { Rule } from '../../rule.js';
import { out001DuplicateColumn } from './out-001-duplicate-column.js';
import { out002NoPrimaryKey } from './out-002-no-primary-key.js';
import { out003NoIdentity } from './out-003-no-identity.js';
import { out004MeasureNumeric } from './out-004-measure-numeric.js';
import { out005NullableKey } from './out-005-nullable-key.js';
import { out006PartitionField } from './out-006-partition-field.js';
import { out007PartitionGranularity } from './out-007-partition-granularity.js';
import { xval023DeprecatedIdentity } from './xval-023-deprecated-identity.js';
import { xval031ClassificationAllOrNothing } from './xval-031-classification-all-or-nothing.js';

/** Rules of the 'output' family, one file each. */
export const outputRules: readonly Rule[] = [
  out001DuplicateColumn,
  out002NoPrimaryKey,
  out003NoIdentity,
  out004MeasureNumeric,
  out005NullableKey,
  out006PartitionField,
  out007PartitionGranularity,
  xval023DeprecatedIdentity,
  xval031ClassificationAllOrNothing,
];
