import type { Rule } from '../../rule.js';
import { dep001UnknownUpstream } from './dep-001-unknown-upstream.js';
import { dep002SelfDependency } from './dep-002-self-dependency.js';
import { dep003DependencyCycle } from './dep-003-dependency-cycle.js';
import { dep004DuplicateName } from './dep-004-duplicate-name.js';
import { dep005VersionRange } from './dep-005-version-range.js';
import { dep006ClassificationHighWater } from './dep-006-classification-high-water.js';
import { dep007AmbiguousInput } from './dep-007-ambiguous-input.js';

/** Rules of the 'dependency' family, one file each. */
export const dependencyRules: readonly Rule[] = [
  dep001UnknownUpstream,
  dep002SelfDependency,
  dep003DependencyCycle,
  dep004DuplicateName,
  dep005VersionRange,
  dep006ClassificationHighWater,
  dep007AmbiguousInput,
];
