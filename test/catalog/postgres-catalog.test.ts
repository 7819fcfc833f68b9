import { catalogContract } from './contract/catalog-contract.js';
import { openPostgresCatalog } from './support/test-databases.js';

// Server mode: the shared PostgreSQL `test` database, in a schema of this file's own, dropped afterwards.
catalogContract('PostgreSQL', () => openPostgresCatalog('contract'));
