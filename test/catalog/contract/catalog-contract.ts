import { afterAll, beforeAll, describe } from 'vitest';
import type { TestCatalog } from '../support/test-databases.js';
import { seedTenant, type ContractContext } from './contract-context.js';
import { databaseContract } from './database-contract.js';
import { tenantContract } from './tenant-contract.js';
import { repositoryContract } from './repository-contract.js';
import { isolationContract } from './isolation-contract.js';
import { rawSqlIsolationContract } from './raw-sql-isolation-contract.js';
import { paginationContract } from './pagination-contract.js';
import { secretsContract } from './secrets-contract.js';
import { auditContract } from './audit-contract.js';
import { auditHeadContract } from './audit-head-contract.js';
import { migrationContract } from './migration-contract.js';
import { connectorStateContract } from './connector-state-contract.js';

/**
 * THE catalog contract: every driver runs exactly this suite against one shared database (opened
 * once per test file: a new PGlite database takes seconds). Two tenants, `a` and `b`, are seeded
 * with a row in every table; sub-suites that need a clean slate create their own tenants.
 */
export function catalogContract(driver: string, open: () => Promise<TestCatalog>): void {
  describe(`catalog contract (${driver})`, () => {
    let ctx: ContractContext | undefined;
    const get = (): ContractContext => {
      if (!ctx) throw new Error('the contract database did not open');
      return ctx;
    };
    beforeAll(async () => {
      const t = await open();
      const a = await seedTenant(t, 'tenant-a');
      const b = await seedTenant(t, 'tenant-b');
      ctx = { ...t, a, b };
    });
    afterAll(async () => {
      await ctx?.cleanup();
    });

    databaseContract(get);
    tenantContract(get);
    repositoryContract(get);
    isolationContract(get);
    rawSqlIsolationContract(get);
    paginationContract(get);
    secretsContract(get);
    auditContract(get);
    auditHeadContract(get);
    migrationContract(get);
    connectorStateContract(get);
  });
}
