import type { Migration } from './migration.js';
import { migration001 } from './001-tenancy.js';
import { migration002 } from './002-products.js';
import { migration003 } from './003-executions.js';
import { migration004 } from './004-events.js';
import { migration005 } from './005-audit-log.js';
import { migration006 } from './006-event-log.js';
import { migration007 } from './007-execution-runtime.js';
import { migration008 } from './008-connector-states.js';
import { migration009 } from './009-pending-projections.js';
import { migration010 } from './010-product-plans.js';
import { migration011 } from './011-execution-finished-notify.js';
import { migration012 } from './012-event-log-retention.js';
import { migration013 } from './013-audit-head.js';

/** Every catalog migration, in version order. Add new ones at the end; never edit a released one. */
export const CATALOG_MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
];

export type { Migration } from './migration.js';
