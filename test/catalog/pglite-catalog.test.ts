import { catalogContract } from './contract/catalog-contract.js';
import { openPgliteCatalog } from './support/test-databases.js';

// Embedded mode: one in-memory PGlite database for the whole file (creating one takes seconds).
catalogContract('PGlite', openPgliteCatalog);
