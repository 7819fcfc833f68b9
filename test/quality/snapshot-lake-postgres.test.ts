import { openPostgresCatalog } from '../catalog/support/test-databases.js';
import { snapshotLakeContract } from './support/snapshot-lake-contract.js';

snapshotLakeContract('PostgreSQL', () => openPostgresCatalog('lake'));
