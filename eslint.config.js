// ESLint flat config: TypeScript rules, the import layers of docs/architecture.md, and test rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vitest from '@vitest/eslint-plugin';
import noSwallowedAssertions from './eslint-rules/no-swallowed-assertions.js';

const layer = (files, forbidden, message) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', 'fixtures/**', '.bench/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Every test must be able to fail: no assertion whose failure can be caught, no unawaited
    // `expect(...).rejects`, no skipped or focused test (an environment that truly lacks something
    // disables the line with its reason: `// eslint-disable-next-line vitest/no-disabled-tests -- why`).
    files: ['**/*.test.ts', 'test/**/*.ts'],
    plugins: { vitest, hekima: { rules: { 'no-swallowed-assertions': noSwallowedAssertions } } },
    rules: {
      'hekima/no-swallowed-assertions': 'error',
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      'vitest/valid-expect-in-promise': 'error',
      'vitest/no-disabled-tests': 'error',
      'vitest/no-focused-tests': 'error',
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) =>
          ['skipIf', 'runIf'].map((property) => ({
            object,
            property,
            message: 'A skip condition hides breakage: make the test run (build first, fail on a missing service).',
          })),
        ),
      ],
    },
  },
  layer(
    ['platform-core/src/domain/**/*.ts'],
    [
      '**/ports/**',
      '**/application/**',
      '**/adapters/**',
      '**/cli/**',
      '**/composition*',
      'node:*',
      'fs',
      'path',
      'pg',
      'yaml',
    ],
    'domain/ holds pure types and rules: no I/O and no imports from ports, application, adapters or cli.',
  ),
  layer(
    ['platform-core/src/ports/**/*.ts'],
    ['**/application/**', '**/adapters/**', '**/cli/**', '**/composition*'],
    'ports/ speak domain types only.',
  ),
  layer(
    ['platform-core/src/application/**/*.ts'],
    ['**/adapters/**', '**/cli/**', '**/composition*'],
    'application/ depends on ports, never on adapters or the CLI; adapters are built in composition.ts.',
  ),
  layer(
    ['platform-core/src/adapters/**/*.ts'],
    ['**/cli/**', '**/composition*'],
    'adapters/ never import the CLI or the composition root.',
  ),
  layer(
    ['language-server/src/**/*.ts', 'mcp-server/src/**/*.ts', 'vscode-extension/src/**/*.ts'],
    ['**/platform-core/src/**', '@hekima/platform-core/dist/**'],
    'Front-ends use the public surface of @hekima/platform-core only.',
  ),
);
