/**
 * The error `promise` rejects with; throws (failing the test) when it resolves. Assert on the
 * result afterwards, outside anything that could catch the assertion's own failure (the lint rule
 * `hekima/no-swallowed-assertions` reports assertions that a `.catch` or `try` could swallow).
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value) ?? String(value)}`);
}

/** A transaction body's way out that rolls it back; `rejectionOf` then returns it. */
export class RollBack extends Error {
  constructor() {
    super('roll back');
  }
}
