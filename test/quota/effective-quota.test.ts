// Documentation/mm/damon/design.rst, "Quotas": damos_adjust_quota / damos_set_effective_quota / charging, by hand.
import { describe, expect, it } from 'vitest';
import { adjustQuota, allowedBytes, charge, initialQuotaState, quotaExhausted, type QuotaSettings } from '../../lib/quota/index.js';

const MiB = 2 ** 20;
const rfc: QuotaSettings = { ms: 10, sz: 128 * MiB, resetIntervalMs: 1000, hasGoals: true, tuner: 'consist', minRegionSz: 2 * MiB };

describe('effective quota (Documentation/mm/damon/design.rst, "Quotas")', () => {
  it('RFC defaults: goal score 0 opens at esz_bp 20000 and the time quota floor of one unit; a used-up window counts an exceed', () => {
    const s = initialQuotaState();
    expect(adjustQuota(rfc, s, 0, 0n)).toBe(true);
    // esz_bp = feed(10000, 0) = 20000 → 2 bytes; time: 4 MiB/ms × 10 ms = 40 MiB; min → 2; floor min_region → 2 MiB.
    expect(s.eszBp).toBe(20000n);
    expect(s.esz).toBe(BigInt(2 * MiB));
    charge(s, 2 * MiB, 2_000_000n);
    expect(quotaExhausted(rfc, s)).toBe(true);
    expect(allowedBytes(rfc, s, 4 * MiB)).toBe(0);
    expect(adjustQuota(rfc, s, 999, 0n)).toBe(false);
    // Next window, score 5000: esz_bp = 30000 → 3 B; throughput = 2 MiB × 1e6 / 2e6 ns = 1 MiB/ms → 10 MiB; floor 2 MiB.
    expect(adjustQuota(rfc, s, 1000, 5000n)).toBe(true);
    expect(s.quotaExceeds).toBe(1);
    expect(s.totalChargedSz).toBe(BigInt(2 * MiB));
    expect(s.chargedSz).toBe(0n);
    expect(s.eszBp).toBe(30000n);
    expect(s.esz).toBe(BigInt(2 * MiB));
  });

  it('time quota alone: measured throughput × ms; size quota caps it', () => {
    const q: QuotaSettings = { ...rfc, hasGoals: false, sz: 0 };
    const s = initialQuotaState();
    adjustQuota(q, s, 0, 0n);
    expect(s.esz).toBe(41_943_040n); // 4 MiB/ms default × 10 ms
    charge(s, 8 * MiB, 4_000_000n); // 8 MiB in 4 ms: 2 MiB/ms
    adjustQuota(q, s, 1000, 0n);
    expect(s.quotaExceeds).toBe(0); // 8 MiB < 40 MiB
    expect(s.esz).toBe(BigInt(20 * MiB));
    const capped: QuotaSettings = { ...q, sz: 5 * MiB };
    adjustQuota(capped, s, 2000, 0n);
    expect(s.esz).toBe(BigInt(5 * MiB));
  });

  it('size quota alone is esz; no quota at all lets everything through', () => {
    const q: QuotaSettings = { ...rfc, ms: 0, hasGoals: false, sz: 5 * MiB };
    const s = initialQuotaState();
    adjustQuota(q, s, 0, 0n);
    expect(s.esz).toBe(BigInt(5 * MiB));
    const none: QuotaSettings = { ...q, sz: 0 };
    const t = initialQuotaState();
    expect(adjustQuota(none, t, 0, 0n)).toBe(false);
    expect(allowedBytes(none, t, 123 * MiB)).toBe(123 * MiB);
    expect(quotaExhausted(none, t)).toBe(false);
  });

  it('temporal without a time quota: the size quota below the goal, nothing once it is met', () => {
    const q: QuotaSettings = { ...rfc, ms: 0, tuner: 'temporal' };
    const s = initialQuotaState();
    adjustQuota(q, s, 0, 9999n);
    expect(s.esz).toBe(BigInt(128 * MiB));
    adjustQuota(q, s, 1000, 10000n);
    expect(s.esz).toBe(0n);
    expect(quotaExhausted(q, s)).toBe(true);
  });

  it('truncation aligns what is left of esz down to the minimum region', () => {
    const q: QuotaSettings = { ...rfc, ms: 0, hasGoals: false, sz: 10 * MiB };
    const s = initialQuotaState();
    adjustQuota(q, s, 0, 0n);
    charge(s, 3 * MiB, 0n);
    expect(allowedBytes(q, s, 7 * MiB)).toBe(7 * MiB); // fits exactly
    expect(allowedBytes(q, s, 8 * MiB)).toBe(6 * MiB); // 7 MiB left → 6 MiB of 2 MiB units
    expect(allowedBytes({ ...q, minRegionSz: 4096 }, s, 8 * MiB)).toBe(7 * MiB);
  });
});
