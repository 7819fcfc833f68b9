import type { Rule } from '../rule.js';
import { builtinRules } from './builtin.js';
import { productRules } from './product/index.js';
import { inputsRules } from './inputs/index.js';
import { outputRules } from './output/index.js';
import { servingRules } from './serving/index.js';
import { qualityRules } from './quality/index.js';
import { computeRules } from './compute/index.js';
import { dependencyRules } from './dependency/index.js';
import { logicRules } from './logic/index.js';
import { connectorRules } from './connector/index.js';
import { workspaceRules } from './workspace/index.js';
import { styleRules } from './style/index.js';

/** Every rule of the validator, in code order. */
export const ALL_RULES: readonly Rule[] = [
  ...builtinRules,
  ...productRules,
  ...inputsRules,
  ...outputRules,
  ...servingRules,
  ...qualityRules,
  ...computeRules,
  ...dependencyRules,
  ...logicRules,
  ...connectorRules,
  ...workspaceRules,
  ...styleRules,
].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

export function ruleByCode(code: string): Rule | undefined {
  const upper = code.trim().toUpperCase();
  return ALL_RULES.find((r) => r.code === upper);
}
