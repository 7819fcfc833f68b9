import type { Rule } from '../../rule.js';
import { inp001DuplicateInput } from './inp-001-duplicate-input.js';
import { inp002FieldsForType } from './inp-002-fields-for-type.js';
import { inp003RequiredSkip } from './inp-003-required-skip.js';
import { inp004StrategyConfig } from './inp-004-strategy-config.js';
import { inp005NoInputs } from './inp-005-no-inputs.js';

/** Rules of the 'inputs' family, one file each. */
export const inputsRules: readonly Rule[] = [
  inp001DuplicateInput,
  inp002FieldsForType,
  inp003RequiredSkip,
  inp004StrategyConfig,
  inp005NoInputs,
];
