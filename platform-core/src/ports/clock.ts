/**
 * Time, as a port: business timeouts (input timeouts of the correlation engine, backoff waits)
 * read it so that tests can drive them with a manual clock. Leases between processes use the
 * database clock instead (one clock for every worker).
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` of this clock's time; rejects with Cancelled `aborted` when the signal fires. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
