import { operationsContract } from './operations/operations-contract.js';
import { openPostgresHarness } from './support/open-harness.js';

operationsContract(() => openPostgresHarness('operations'));
