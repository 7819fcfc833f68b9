import type { LogMeta, Logger } from '../ports/logger.js';
import type { CliIO } from './output.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/** The CLI's logger: one line per record on stderr (`HEKIMA_LOG_LEVEL`, default info). */
export function stderrLogger(io: CliIO, meta: LogMeta = {}): Logger {
  const wanted = (io.env['HEKIMA_LOG_LEVEL'] ?? 'info') as Level;
  const min = Math.max(0, LEVELS.indexOf(wanted));
  const write = (level: Level, message: string, extra?: LogMeta) => {
    if (LEVELS.indexOf(level) < min) return;
    const all = { ...meta, ...extra };
    const tail = Object.keys(all).length > 0 ? ` ${JSON.stringify(all)}` : '';
    io.stderr.write(`${new Date().toISOString()} ${level} ${message}${tail}\n`);
  };
  return {
    debug: (m, x) => write('debug', m, x),
    info: (m, x) => write('info', m, x),
    warn: (m, x) => write('warn', m, x),
    error: (m, x) => write('error', m, x),
    child: (more) => stderrLogger(io, { ...meta, ...more }),
  };
}
