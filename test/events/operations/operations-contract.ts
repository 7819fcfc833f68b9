import { afterAll, beforeAll, describe } from 'vitest';
import type { EventHarness } from '../support/event-harness.js';
import type { EventContext } from '../contract/event-context.js';
import { auditContract } from './audit-contract.js';
import { dlqContract } from './dlq-contract.js';

/** Audit trail and DLQ operations over the event bus, on one storage per file. */
export function operationsContract(open: () => Promise<EventHarness>): void {
  describe('audit and DLQ operations', () => {
    let ctx: EventContext | undefined;
    const get = (): EventContext => {
      if (!ctx) throw new Error('the event harness did not open');
      return ctx;
    };
    beforeAll(async () => {
      const h = await open();
      ctx = { h, bus: await h.newBus() };
    });
    afterAll(async () => {
      await ctx?.h.cleanup();
    });
    auditContract(get);
    dlqContract(get);
  });
}
