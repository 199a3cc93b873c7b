// Semantic pin: the complete counters and the A/D bits left in the table by a few fixed
// simulations (pinned-scenarios.ts) must equal the values captured from the simulator before
// its speed work (test/fixtures/simulator/pinned-counters.json, written by pin-capture.ts).
// Speed changes must not change what is computed; a deliberate semantic fix regenerates the
// file and says why in its commit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, scenarios, type PinnedResult } from './pinned-scenarios.js';

const expected = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/simulator/pinned-counters.json'), 'utf8')) as Record<string, PinnedResult>;

describe('pinned simulator counters', () => {
  it('covers every pinned scenario', () => {
    expect(Object.keys(expected).sort()).toEqual(scenarios.map((s) => s.name).sort());
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('%s', (name, s) => {
    const got = runScenario(s);
    expect(got.stats).toEqual(expected[name]?.stats);
    expect(got.bits).toBe(expected[name]?.bits);
  });
});
