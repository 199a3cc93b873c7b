import { defineConfig } from 'tsup';

// The library ships as ESM and CJS with declarations for both; the CLI is a separate entry
// so that importing the library never loads commander.
export default defineConfig({
  entry: { index: 'lib/index.ts', cli: 'lib/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'lib/index.ts' } },
  shims: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
});
