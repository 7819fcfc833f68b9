import { eventBusContract } from './contract/event-bus-contract.js';
import { openPostgresHarness } from './support/open-harness.js';

// Server mode: the shared PostgreSQL `test` database, in a schema of this file's own.
eventBusContract(() => openPostgresHarness('events'));
