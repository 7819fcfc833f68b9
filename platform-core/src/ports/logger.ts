/**
 * Logging port: platform-core never writes to the console. Entry points pass a logger (the CLI
 * and the MCP server write to stderr); the default discards everything. `meta` is structured
 * context (ids, counts, durations), never secrets or row contents.
 */
export type LogMeta = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  error(message: string, meta?: LogMeta): void;
  /** A logger that adds `meta` to every record. */
  child(meta: LogMeta): Logger;
}
