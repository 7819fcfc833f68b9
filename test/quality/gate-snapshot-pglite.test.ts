import { openPgliteCatalog } from '../catalog/support/test-databases.js';
import { gateSnapshotContract } from './support/gate-snapshot-contract.js';

gateSnapshotContract('PGlite', openPgliteCatalog);
