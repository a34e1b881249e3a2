import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'dist-cli/', 'node_modules/', 'public/', 'test-results/', 'playwright-report/', 'bench-results/', '**/*.js', '**/*.mjs', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/app/**/*.tsx', 'src/app/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  // Layers (docs/ARCHITECTURE.md): core ← gpu, media ← runtime ← workers ← app; cli on core/media/runtime.
  // Nothing imports a layer above it, and nothing outside src/cli imports src/cli.
  {
    // The core runs in workers, Node and tests: no DOM, React or zustand; core tests import only core.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom', 'zustand', '**/app/**', '**/media/**', '**/gpu/**', '**/runtime/**', '**/workers/**', '**/cli/**'] }],
    },
  },
  {
    files: ['src/gpu/**/*.ts', 'src/media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom', 'zustand', '**/app/**', '**/runtime/**', '**/workers/**', '**/cli/**'] }],
    },
  },
  {
    files: ['src/runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom', 'zustand', '**/app/**', '**/workers/**', '**/cli/**'] }],
    },
  },
  {
    files: ['src/workers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom', 'zustand', '**/app/**', '**/cli/**'] }],
    },
  },
  {
    // (scripts/bench may: it measures the CLI's commands in process.)
    files: ['src/app/**/*.ts', 'src/app/**/*.tsx', 'e2e/**/*.ts', 'scripts/fixtures/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/cli/**'] }],
    },
  },
);
