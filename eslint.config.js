// ESLint flat config: typescript-eslint's recommended rules on the TypeScript sources, ESLint's
// on the plain JavaScript (CommonJS test fixtures and scripts, ES module examples). Formatting
// is Prettier's job (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * `_`-prefixed names mark what an interface requires but an implementation ignores; a rest
 * sibling is the idiomatic way to leave fields out of an object.
 */
const unusedVars = { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' };

export default defineConfig(
  { ignores: ['dist/', 'build/', 'build-*/', 'prebuilds/', 'docs/api/', '.cache/', 'node_modules/'] },
  js.configs.recommended,
  { rules: { 'no-unused-vars': ['error', unusedVars] } },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', unusedVars],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
);
