// Worker thread of PgSqlAnalyzer.prime(): parses SQL texts with libpg-query and sends back the
// parse trees (or the syntax error's message and cursor position).
import { hasSqlDetails, loadModule, parseSync } from 'libpg-query';
import { parentPort } from 'node:worker_threads';
import type { ParseOutcome } from './parse-outcome.js';

const loading = loadModule();
parentPort?.on('message', (texts: string[]) => {
  void loading.then(() => {
    const out: ParseOutcome[] = texts.map((text) => {
      try {
        return { tree: parseSync(text) };
      } catch (error) {
        const details = hasSqlDetails(error) ? error.sqlDetails : undefined;
        return { error: { message: details?.message ?? (error instanceof Error ? error.message : String(error)), cursorPosition: details?.cursorPosition ?? 0 } };
      }
    });
    parentPort?.postMessage(out);
  });
});
