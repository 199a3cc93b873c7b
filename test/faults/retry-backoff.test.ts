// The tuner's retry policy for collapses that failed for a passing reason, on its own clock:
// a first failure is retried at once (the unit's next probe window), repeated failures wait
// churnBackoff doubled per repeat up to churnBackoffMax, and EINVAL is a lasting refusal
// (until the mapping changes) rather than a retry.
import { describe, expect, it } from 'vitest';
import { UnitLedger } from '../../lib/tuner/unit-ledger.js';

const UNIT = { address: 0x4000_0000, residentPages: 512, huge: false };
const KEY = 'mapping';

describe('retry back-off of failed collapses', () => {
  it('retries a first EAGAIN/ENOMEM/EBUSY at once, then doubles the wait up to the maximum', () => {
    const ledger = new UnitLedger({ maxPtesNone: 64, churnBackoffMs: 1000, churnBackoffMaxMs: 4000 });
    ledger.noteCollapse(UNIT.address, 'EAGAIN', KEY, 0);
    expect(ledger.classify(UNIT, KEY, 0)).toBe('work');
    const waits: number[] = [];
    let now = 0;
    for (const outcome of ['EBUSY', 'ENOMEM', 'EAGAIN', 'EBUSY']) {
      ledger.noteCollapse(UNIT.address, outcome, KEY, now);
      let wait = 0;
      while (ledger.classify(UNIT, KEY, now + wait) === 'skipped-retry') wait += 100;
      waits.push(wait);
      now += wait;
    }
    expect(waits).toEqual([1000, 2000, 4000, 4000]);
  });

  it('does not retry EINVAL in the same mapping', () => {
    const ledger = new UnitLedger({ maxPtesNone: 64, churnBackoffMs: 1000, churnBackoffMaxMs: 4000 });
    ledger.noteCollapse(UNIT.address, 'EINVAL', KEY, 0);
    expect(ledger.classify(UNIT, KEY, 1e9)).toBe('skipped-refused');
    expect(ledger.classify(UNIT, 'another mapping', 1e9)).toBe('work');
  });
});
