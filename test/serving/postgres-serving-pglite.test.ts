import { openPgliteCatalog } from '../catalog/support/test-databases.js';
import { postgresServingContract } from './support/postgres-serving-contract.js';

postgresServingContract('PGlite', openPgliteCatalog);
