import { openPostgresCatalog } from '../catalog/support/test-databases.js';
import { postgresServingContract } from './support/postgres-serving-contract.js';

postgresServingContract('PostgreSQL', () => openPostgresCatalog('serving'));
