import { eventBusContract } from './contract/event-bus-contract.js';
import { openPgliteHarness } from './support/open-harness.js';

// Embedded mode: one in-memory PGlite database for the whole file.
eventBusContract(openPgliteHarness);
