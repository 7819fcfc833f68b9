import { openPostgresCatalog } from '../catalog/support/test-databases.js';
import { serveQueryContract } from './support/serve-query-contract.js';

serveQueryContract('PostgreSQL', () => openPostgresCatalog('query'));
