import { openPgliteCatalog } from '../catalog/support/test-databases.js';
import { snapshotLakeContract } from './support/snapshot-lake-contract.js';

snapshotLakeContract('PGlite', openPgliteCatalog);
