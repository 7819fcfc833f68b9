import type { Rule } from '../../rule.js';
import { wsp001SecretInConfig } from './wsp-001-secret-in-config.js';
import { wsp002DuplicateConnection } from './wsp-002-duplicate-connection.js';
import { wsp003DuplicateTeam } from './wsp-003-duplicate-team.js';
import { wsp004UnusedConnection } from './wsp-004-unused-connection.js';
import { wsp005ConnectionPathConfined } from './wsp-005-connection-path-confined.js';

/** Rules of the 'workspace' family, one file each. */
export const workspaceRules: readonly Rule[] = [
  wsp001SecretInConfig,
  wsp002DuplicateConnection,
  wsp003DuplicateTeam,
  wsp004UnusedConnection,
  wsp005ConnectionPathConfined,
];
