import { openPgliteCatalog } from '../catalog/support/test-databases.js';
import { serveQueryContract } from './support/serve-query-contract.js';

serveQueryContract('PGlite', openPgliteCatalog);
