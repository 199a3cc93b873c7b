// eligibility() on the overlapping VMAs a non-atomic smaps read can list (a mapping that grew
// between two read(2) calls appears again): the spans it hands the monitor stay sorted and
// disjoint. Found by test:sanitize, where the tuner's monitor rejected such targets
// ("ranges must be sorted and disjoint") and collapsed nothing.
import { describe, expect, it } from 'vitest';
import { UNIT_BYTES } from '../../lib/tuner/backend.js';
import { eligibility } from '../../lib/tuner/eligibility.js';

const U = UNIT_BYTES;
const mapping = (startUnit: number, endUnit: number) => ({ start: startUnit * U, end: endUnit * U, anonymousBytes: (endUnit - startUnit) * U, collapsible: true });

describe('eligibility over overlapping mappings', () => {
  it('cuts a span that overlaps the previous one and drops one inside it', () => {
    const report = eligibility([mapping(0, 8), mapping(100, 104), mapping(102, 110), mapping(96, 99), mapping(100, 102)]);
    expect(report.spans.map((s) => [s.start / U, s.end / U])).toEqual([
      [0, 8],
      [96, 99],
      [100, 104],
      [104, 110],
    ]);
    expect(report.eligibleUnitBytes).toBe(21 * U);
  });

  it('leaves disjoint mappings as they are', () => {
    const report = eligibility([mapping(10, 12), mapping(0, 4)]);
    expect(report.spans.map((s) => [s.start / U, s.end / U])).toEqual([
      [0, 4],
      [10, 12],
    ]);
    expect(report.eligibleUnitBytes).toBe(6 * U);
  });
});
