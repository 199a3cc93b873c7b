import { defineConfig } from 'tsup';

// The library ships as ESM and CJS with declarations for both; the CLI is a separate entry
// so that importing the library never loads commander, and the metrics adapters are subpath
// entries (`thp-autotune/prometheus`, `thp-autotune/otel`) so that only they load their
// optional peer dependencies (prom-client, @opentelemetry/api), which stay external.
export default defineConfig({
  entry: { index: 'lib/index.ts', cli: 'lib/cli/main.ts', prometheus: 'lib/metrics/prometheus.ts', otel: 'lib/metrics/otel.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'lib/index.ts', prometheus: 'lib/metrics/prometheus.ts', otel: 'lib/metrics/otel.ts' } },
  shims: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
});
