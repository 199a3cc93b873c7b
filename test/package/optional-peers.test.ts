// prom-client and @opentelemetry/api are optional peer dependencies: importing the main
// entry (ESM or CommonJS) never loads them; only thp-autotune/prometheus and
// thp-autotune/otel do. Checked on the built package, imported by name from its own root.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../helpers/dist-entry.js'; // fails here without a build

const root = path.resolve(__dirname, '../..');
const PEERS = /^(prom-client|@opentelemetry\/api)(\/|$)/;

/** Runs `code` in a fresh node in the package root; its stdout. */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

/** A module resolve hook that refuses the peers: an ESM import graph that reaches one fails. */
const refusePeers = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
   register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
     `export async function resolve(specifier, context, next) {
        if (${PEERS}.test(specifier)) throw new Error('loaded ' + specifier);
        return next(specifier, context);
      }`,
   )}));`,
)}`;

const loadedByRequire = (entry: string) =>
  JSON.parse(
    node(['-e', `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules\\/(prom-client|@opentelemetry\\/api)\\//.test(f)).length))`]),
  ) as number;

const importOutcome = (entry: string) =>
  node(['--import', refusePeers, '--input-type=module', '-e', `import(${JSON.stringify(entry)}).then(() => console.log('ok'), (e) => console.log(e.message))`]).trim();

describe('optional peer dependencies', () => {
  it('require("thp-autotune") loads neither; require("thp-autotune/prometheus") loads prom-client', () => {
    expect(loadedByRequire('thp-autotune')).toBe(0);
    expect(loadedByRequire('thp-autotune/prometheus')).toBeGreaterThan(0);
    expect(loadedByRequire('thp-autotune/otel')).toBeGreaterThan(0);
  });

  it('import("thp-autotune") resolves neither; the subpath entries do', () => {
    expect(importOutcome('thp-autotune')).toBe('ok');
    expect(importOutcome('thp-autotune/prometheus')).toBe('loaded prom-client');
    expect(importOutcome('thp-autotune/otel')).toBe('loaded @opentelemetry/api');
  });
});
