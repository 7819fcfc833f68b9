import type { Logger } from '../../../ports/logger.js';

/** The default logger of the event adapters: discards everything. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
