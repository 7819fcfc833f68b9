import { openPostgresCatalog } from '../catalog/support/test-databases.js';
import { gateSnapshotContract } from './support/gate-snapshot-contract.js';

gateSnapshotContract('PostgreSQL', () => openPostgresCatalog('gate'));
