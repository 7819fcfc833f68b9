import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/dist/**'];
const ALL = [
  'platform-core/src/**/*.test.ts',
  'grammars/src/**/*.test.ts',
  'test/**/*.test.ts',
  'language-server/src/**/*.test.ts',
  'mcp-server/src/**/*.test.ts',
];
/** Run alone (see `projects` below). */
const SERIAL = [
  'test/executions/multi-process-workers.test.ts',
  'test/run/embedded-shared.test.ts',
  'test/events/pglite-event-bus.test.ts',
  'test/events/postgres-event-bus.test.ts',
  'test/events/kafka-memory-event-bus.test.ts',
];

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources of every package, never a stale build.
    alias: [
      {
        find: /^@hekima\/platform-core$/,
        replacement: fileURLToPath(new URL('./platform-core/src/index.ts', import.meta.url)),
      },
      { find: /^@hekima\/grammars$/, replacement: fileURLToPath(new URL('./grammars/src/index.ts', import.meta.url)) },
      {
        find: /^@hekima\/grammars\/lsp$/,
        replacement: fileURLToPath(new URL('./grammars/src/lsp/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    // `include` lives in the projects: with `extends`, Vitest concatenates the lists.
    exclude: DEFAULT_EXCLUDE,
    // `tsc -b` (incremental) before any suite: the end-to-end suites spawn the built CLI.
    globalSetup: ['test/support/build.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Timing-sensitive files (worker processes with leases, the event bus relay and its consumers)
    // run one at a time after the parallel batch: on a 2-core CI machine the other files' load
    // would otherwise starve their heartbeats and pollers. Everything else runs in parallel.
    projects: [
      {
        extends: true,
        test: { name: 'parallel', include: ALL, exclude: SERIAL, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'serial', include: SERIAL, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
