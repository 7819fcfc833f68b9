import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial-queue.js';

describe('SerialQueue', () => {
  it('grants the lock to one holder at a time, in arrival order', async () => {
    const queue = new SerialQueue();
    const order: string[] = [];
    const work = (name: string, ms: number) =>
      queue.acquire().then(async (release) => {
        order.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`end ${name}`);
        release();
      });
    await Promise.all([work('a', 15), work('b', 1), work('c', 5)]);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('drops a waiter whose signal fires (Cancelled) and serves the next one', async () => {
    const queue = new SerialQueue();
    const release = await queue.acquire();
    const controller = new AbortController();
    const aborted = queue.acquire(controller.signal);
    const next = queue.acquire();
    expect(queue.waiting).toBe(2);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ kind: 'Cancelled', code: 'aborted' });
    expect(queue.waiting).toBe(1);
    release();
    release(); // a second release is a no-op
    (await next)();
    await expect(queue.acquire(AbortSignal.abort())).rejects.toMatchObject({ kind: 'Cancelled' });
    (await queue.acquire())();
  });
});
