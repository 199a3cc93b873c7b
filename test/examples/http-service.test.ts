// examples/http-service end to end: start the service (256 MiB data set, 32 MiB of it hot),
// drive load on loopback with autocannon in bounded rounds, scrape /metrics after each round
// and check that the figures move: units collapse, the huge-page share of the process rises,
// and no request fails. On a busy machine the rounds go on longer (up to the deadline); the
// test asserts what the tuner promises, not how fast it gets there.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import '../helpers/dist-entry.js'; // the example imports the built package: fails here without a build
import { pagemapUnavailable } from '../helpers/pagemap.js';

const pagemapMissing = pagemapUnavailable();
if (pagemapMissing) console.log(`http-service example skipped: ${pagemapMissing}`);

const server = path.resolve(__dirname, '../../examples/http-service/server.mjs');
const HOT = 32 * 2 ** 20;
/** Load rounds go on until the figures have moved or this much time has passed. */
const DEADLINE_MS = 150_000;

type Metrics = Map<string, number>;

/** `name{labels} value` lines of a Prometheus text exposition. */
function parseExposition(text: string): Metrics {
  const out: Metrics = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1] as string, Number(m[2]));
  }
  return out;
}

let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

describe('examples/http-service', () => {
  it.skipIf(pagemapMissing !== null)('serves requests while the tuner collapses its hot data, and /metrics shows it', { timeout: DEADLINE_MS + 60_000 }, async () => {
    const proc = spawn(process.execPath, [server], {
      env: { ...process.env, PORT: '0', DATA_BYTES: '256M', HOT_BYTES: '32M' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const [first] = (await once(proc.stdout!, 'data')) as [Buffer];
    const { listening: port } = JSON.parse(first.toString()) as { listening: number };
    const url = `http://127.0.0.1:${port}`;
    const scrape = async (): Promise<{ text: string; metrics: Metrics }> => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return { text, metrics: parseExposition(text) };
    };

    const before = await scrape();
    expect(before.text).toMatch(/# TYPE thp_autotune_collapsed_bytes_total counter/);
    expect(before.text).toMatch(/# TYPE thp_autotune_huge_ratio gauge/);
    const ratio0 = before.metrics.get('thp_autotune_huge_ratio') ?? NaN;
    const huge0 = before.metrics.get('thp_autotune_anon_huge_bytes') ?? NaN;
    expect(ratio0).toBeGreaterThanOrEqual(0);

    const t0 = Date.now();
    let requests = 0;
    let failures = 0;
    let last = before.metrics;
    let next = 0;
    for (let round = 0; Date.now() - t0 < DEADLINE_MS; round++) {
      const result = await autocannon({
        url,
        connections: 4,
        duration: 2,
        requests: [{ setupRequest: (req) => ({ ...req, path: `/item/${(next++ * 7919) % 1_000_000}` }) }],
      });
      requests += result.requests.total;
      failures += result.non2xx + result.errors + result.timeouts;
      last = (await scrape()).metrics;
      const collapsed = last.get('thp_autotune_collapsed_bytes_total{scheme="0"}') ?? 0;
      console.log(
        `round ${round} at ${((Date.now() - t0) / 1000).toFixed(1)} s: ${result.requests.average} req/s, ` +
          `collapsed ${collapsed / 2 ** 20} MiB, huge ratio ${last.get('thp_autotune_huge_ratio')}, anon huge ${(last.get('thp_autotune_anon_huge_bytes') ?? 0) / 2 ** 20} MiB`,
      );
      if (collapsed >= HOT / 2 && (last.get('thp_autotune_anon_huge_bytes') ?? 0) >= huge0 + HOT / 2) break;
    }

    const figures = JSON.stringify(Object.fromEntries(last), null, 1);
    expect(requests).toBeGreaterThan(0);
    expect(failures).toBe(0);
    expect(last.get('thp_autotune_units_total{scheme="0",outcome="collapsed"}'), figures).toBeGreaterThan(0);
    expect(last.get('thp_autotune_collapsed_bytes_total{scheme="0"}'), figures).toBeGreaterThan(0);
    expect(last.get('thp_autotune_anon_huge_bytes'), figures).toBeGreaterThan(huge0);
    expect(last.get('thp_autotune_huge_ratio'), figures).toBeGreaterThan(ratio0);
    expect(last.get('thp_autotune_running'), figures).toBe(1);
    expect(last.get('thp_autotune_sampler_cpu_seconds_total'), figures).toBeGreaterThan(0);

    proc.kill('SIGTERM');
    const [code] = (await once(proc, 'exit')) as [number | null];
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
  });
});
