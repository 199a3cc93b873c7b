// The verdict on a unit the referenced source observes in windows of its own
// (lib/tuner/unit-ledger.ts observedVerdict): a unit seen unused is left alone; a unit not
// observed follows its region only when the region is known to be uniformly hot, and otherwise
// waits for an observation.
import { describe, expect, it } from 'vitest';
import { observedVerdict } from '../../lib/tuner/unit-ledger.js';

describe('observedVerdict', () => {
  it.for([
    { used: 0, regionUniform: true, verdict: 'skipped-cold' },
    { used: 0, regionUniform: false, verdict: 'skipped-cold' },
    { used: 1, regionUniform: false, verdict: 'hot' },
    { used: 512, regionUniform: true, verdict: 'hot' },
    { used: null, regionUniform: true, verdict: 'hot' },
    { used: null, regionUniform: false, verdict: 'skipped-unprobed' },
  ])('a unit used $used times in a region uniform=$regionUniform is $verdict', ({ used, regionUniform, verdict }) => {
    expect(observedVerdict(used, regionUniform)).toBe(verdict);
  });
});
