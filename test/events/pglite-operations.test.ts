import { operationsContract } from './operations/operations-contract.js';
import { openPgliteHarness } from './support/open-harness.js';

operationsContract(openPgliteHarness);
