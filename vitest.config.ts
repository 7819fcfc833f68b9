import { defineConfig } from 'vitest/config';

import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: { '@hekima/platform-core': fileURLToPath(new URL('./platform-core/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['platform-core/src/**/*.test.ts', 'grammars/src/**/*.test.ts', 'test/**/*.test.ts', 'language-server/src/**/*.test.ts', 'mcp-server/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
