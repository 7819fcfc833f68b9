import type { Rule } from '../../rule.js';
import { con001UnknownConnection } from './con-001-unknown-connection.js';
import { con002UnsupportedStrategy } from './con-002-unsupported-strategy.js';
import { con003NotRunnable } from './con-003-not-runnable.js';
import { con004MissingIngestionSetting } from './con-004-missing-ingestion-setting.js';
import { con005InputPathConfined } from './con-005-input-path-confined.js';
import { con006InvalidPathPattern } from './con-006-invalid-path-pattern.js';

/** Rules of the 'connector' family, one file each. */
export const connectorRules: readonly Rule[] = [
  con001UnknownConnection,
  con002UnsupportedStrategy,
  con003NotRunnable,
  con004MissingIngestionSetting,
  con005InputPathConfined,
  con006InvalidPathPattern,
];
