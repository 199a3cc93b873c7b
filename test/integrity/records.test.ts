// The integrity test's record codec catches what it must: a changed byte, a record moved to
// another slot, a stale record, a zeroed page.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const { RECORD_BYTES, writeRecord, checkRecord } = createRequire(__filename)('./fixtures/records.cjs') as {
  RECORD_BYTES: number;
  writeRecord(words: Uint32Array, slot: number, seq: number): void;
  checkRecord(words: Uint32Array, slot: number, seq: number): string | null;
};

describe('checksummed records', () => {
  it('verifies intact records and names every kind of damage', () => {
    const words = new Uint32Array((8 * RECORD_BYTES) / 4);
    for (let slot = 0; slot < 8; slot++) writeRecord(words, slot, 100 + slot);
    for (let slot = 0; slot < 8; slot++) expect(checkRecord(words, slot, 100 + slot)).toBeNull();
    words[16 + 5] = words[16 + 5]! ^ 0x10; // one bit of slot 1's payload
    expect(checkRecord(words, 1, 101)).toBe('checksum');
    words.copyWithin(2 * 16, 3 * 16, 4 * 16); // slot 3's record lands in slot 2
    expect(checkRecord(words, 2, 102)).toBe('position');
    writeRecord(words, 4, 104);
    expect(checkRecord(words, 4, 105)).toBe('stale'); // a write that was lost
    words.fill(0, 5 * 16, 6 * 16); // a page that came back zero-filled
    expect(checkRecord(words, 5, 105)).toBe('checksum');
  });
});
