// ESLint flat config: `npm run lint` (eslint .) checks lib/, test/, examples/
// and scripts/ (TypeScript and .mjs). Generated and installed files are left out.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['imports/**', 'build/**', 'dist/**', 'coverage/**', 'node_modules/**', '.tools/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    // The .mjs scripts run on Node (TypeScript files need no globals: tsc checks names).
    languageOptions: { globals: { ...globals.node } },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    // Command-line scripts and tests report on the console by design.
    files: ['scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The policy checker and the tests read Kubernetes manifests as written: untyped JSON,
    // any user's objects and not only this library's, so their fields are `any` by nature.
    files: ['lib/policy/**', 'test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
