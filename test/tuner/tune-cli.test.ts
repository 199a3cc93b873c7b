// `thp-autotune tune`: runs a Node script under the tuner with a configuration file.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { distEntry } from '../helpers/dist-entry.js';
import { fixturePath } from '../helpers/fixtures.js';

const pagemapMissing = pagemapUnavailable();
if (pagemapMissing) console.log(`tune command run skipped: ${pagemapMissing}`);

describe('thp-autotune tune', () => {
  // The app writes its buffer until part of it is huge (up to 40 s), so a busy machine makes
  // this slower, not red.
  it.skipIf(pagemapMissing !== null)('runs a script under the tuner and prints its state as JSON lines', { timeout: 90_000 }, () => {
    const r = runCli(['tune', '--config', fixturePath('tuner/fast.yaml'), '--interval', '500ms', '--json', path.join(__dirname, 'fixtures/tune-app.cjs')], { THP_DIST_ENTRY: distEntry }, 80_000);
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout.trim()).toBe('app done');
    const states = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
    const last = states.at(-1);
    expect(last.schemes[0].stats.units.collapsed).toBeGreaterThan(0);
    expect(last.eligibility.eligibleAnonymousBytes).toBeGreaterThanOrEqual(64 * 2 ** 20);
  });

  it('names the bad field of a configuration file', () => {
    const r = runCli(['tune', '--config', fixturePath('tuner/service.json'), '--pid', 'x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/pid must be 'self' or an integer|pid must be an integer from 1/);
  });

  it('says why another process cannot be tuned here', () => {
    const r = runCli(['tune', '--pid', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/tuning another process is not supported here/);
  });
});
