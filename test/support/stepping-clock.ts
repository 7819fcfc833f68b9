import { ManualClock } from '../../platform-core/src/adapters/memory/manual-clock.js';

/**
 * A ManualClock that tells a test when code starts sleeping on it: a test waits for that moment
 * (`nextSleep`) instead of a fixed wall-clock delay, then changes the world, then `advance`s.
 * Nothing that sleeps on it wakes by itself, so only the event under test can explain a wake-up.
 */
export class SteppingClock extends ManualClock {
  #next: (() => void)[] = [];

  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const sleeping = super.sleep(ms, signal);
    for (const resolve of this.#next.splice(0)) resolve();
    return sleeping;
  }

  /** Resolves when the next `sleep` (after this call) has started. */
  nextSleep(): Promise<void> {
    return new Promise((resolve) => this.#next.push(resolve));
  }
}
