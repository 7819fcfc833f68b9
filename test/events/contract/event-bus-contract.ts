import { afterAll, beforeAll, describe, it } from 'vitest';
import type { EventHarness } from '../support/event-harness.js';
import type { EventContext } from './event-context.js';
import { deliveryContract } from './delivery-contract.js';
import { orderingContract } from './ordering-contract.js';
import { failureContract } from './failure-contract.js';
import { restartContract } from './restart-contract.js';
import { isolationContract } from './isolation-contract.js';

/**
 * THE event-bus contract: every adapter runs exactly this suite (docs/adr/0008). One storage per
 * file (opening a database takes seconds); every test makes its own tenant.
 */
export function eventBusContract(open: () => Promise<EventHarness>, skipReason?: string): void {
  const title = `event bus contract`;
  if (skipReason !== undefined) {
    describe(title, () => {
      // eslint-disable-next-line vitest/no-disabled-tests -- no Kafka broker can be installed here (environment.md)
      it.skip(`skipped: ${skipReason}`, () => undefined);
    });
    return;
  }
  describe(title, () => {
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
    deliveryContract(get);
    orderingContract(get);
    failureContract(get);
    restartContract(get);
    isolationContract(get);
  });
}
