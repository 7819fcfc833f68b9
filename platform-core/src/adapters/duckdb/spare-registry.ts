/**
 * What to close when the platform closes, registered by DuckDB modules once they are loaded (this
 * module imports nothing, so a platform that never ran DuckDB does not load the native module to
 * close it).
 */
const closers = new Set<() => Promise<void>>();

export function onPlatformClose(close: () => Promise<void>): void {
  closers.add(close);
}

export async function closeRegistered(): Promise<void> {
  await Promise.allSettled([...closers].map((close) => close()));
}
