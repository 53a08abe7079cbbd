// Lint: the recommended JavaScript and type-aware TypeScript rules, plus what keeps contracts
// deterministic (no clock, no randomness in src/contracts).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.aidledger/**',
      'eslint.config.js',
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/contracts/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Date']",
          message: 'contracts see only the block time',
        },
        {
          selector: "NewExpression[callee.name='Date']",
          message: 'contracts see only the block time',
        },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'contracts are deterministic',
        },
        {
          selector: "MemberExpression[object.name='crypto']",
          message: 'contracts are deterministic',
        },
        // Numeric literals with a fraction or a negative exponent (strings start with a quote).
        {
          selector: 'Literal[raw=/^[0-9]*\\.[0-9]|^[0-9.]+e-/i]',
          message: 'no floating point in contracts',
        },
      ],
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'crypto'] },
      ],
    },
  },
);
