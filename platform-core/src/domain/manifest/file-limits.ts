/**
 * How large a manifest or logic file may be (issue 10 E). Files are measured before they are read:
 * one over the limit is refused with a finding naming it (MAN-007) and never parsed, so a huge
 * file cannot exhaust the memory of every command that loads the workspace.
 */

/** The default limit: 1 MiB, far above any hand-written manifest or logic file. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** What `limits.max_file_bytes` in hekima.yaml may be set to. */
export const MIN_MAX_FILE_BYTES = 1024;
export const MAX_MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The limit a workspace's hekima.yaml sets (`limits.max_file_bytes`), or the default when it sets
 * none or an invalid one (the schema reports that). hekima.yaml itself is always held to the default:
 * the limit is read from it.
 */
export function maxFileBytesOf(config: unknown): number {
  const limits = isObject(config) ? config['limits'] : undefined;
  const value = isObject(limits) ? limits['max_file_bytes'] : undefined;
  return typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= MIN_MAX_FILE_BYTES &&
    value <= MAX_MAX_FILE_BYTES
    ? value
    : DEFAULT_MAX_FILE_BYTES;
}

/** `1.05 MiB`, `900 KiB`, `12 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trim(n: number): string {
  return n.toFixed(2).replace(/\.?0+$/, '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
