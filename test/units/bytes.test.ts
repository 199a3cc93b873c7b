import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../lib/errors.js';
import { formatBytes, parseBytes } from '../../lib/units/index.js';

describe('parseBytes', () => {
  it.each([
    ['4096', 4096],
    [4096, 4096],
    ['2M', 2 * 2 ** 20],
    ['2m', 2 * 2 ** 20],
    ['2MiB', 2 * 2 ** 20],
    ['2 MB', 2 * 2 ** 20],
    ['1.5G', 1.5 * 2 ** 30],
    ['4GiB', 4 * 2 ** 30],
    ['1T', 2 ** 40],
    ['10B', 10],
    ['0', 0],
  ])('%s is %d bytes', (text, bytes) => expect(parseBytes(text, 'size')).toBe(bytes));

  it.each(['', 'G', '-1M', '1X', '1.2.3M', '4 G B', null, -5, 1.5, '9999999P'])('rejects %s naming the field', (text) => {
    expect(() => parseBytes(text as string, 'options.size')).toThrow(InvalidArgumentError);
    expect(() => parseBytes(text as string, 'options.size')).toThrow(/^options.size must be /);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [4096, '4 KiB'],
    [2 ** 21, '2 MiB'],
    [1.5 * 2 ** 30, '1.500 GiB'],
    [4 * 2 ** 30, '4 GiB'],
    [3 * 2 ** 40, '3 TiB'],
  ])('%d is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
