import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources of every package, never a stale build.
    alias: [
      { find: /^@hekima\/platform-core$/, replacement: fileURLToPath(new URL('./platform-core/src/index.ts', import.meta.url)) },
      { find: /^@hekima\/grammars$/, replacement: fileURLToPath(new URL('./grammars/src/index.ts', import.meta.url)) },
      { find: /^@hekima\/grammars\/lsp$/, replacement: fileURLToPath(new URL('./grammars/src/lsp/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['platform-core/src/**/*.test.ts', 'grammars/src/**/*.test.ts', 'test/**/*.test.ts', 'language-server/src/**/*.test.ts', 'mcp-server/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
