// ESLint flat config: TypeScript rules and test rules. The import layers of docs/architecture.md
// are checked by dependency-cruiser (.dependency-cruiser.cjs, `npm run lint:layers`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vitest from '@vitest/eslint-plugin';
import noSwallowedAssertions from './eslint-rules/no-swallowed-assertions.js';

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
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
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
);
