// allocAligned's mapping lives exactly as long as its ArrayBuffer: collected means unmapped.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { distEntry } from '../helpers/dist-entry.js';

describe('allocAligned lifetime', () => {
  it('unmaps the memory once the ArrayBuffer is garbage-collected', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '-e',
        `
      const { readFileSync } = require('node:fs');
      const t = require(${JSON.stringify(distEntry)});
      const mapped = (address) => readFileSync('/proc/self/maps', 'utf8').split('\\n').some((line) => {
        const [start, end] = line.split(' ')[0].split('-').map((hex) => BigInt('0x' + (hex || '0')));
        return start <= address && address < end;
      });
      let buffer = t.allocAligned(64 * 1024 * 1024);
      const address = t.addressOf(buffer);
      const before = mapped(address);
      buffer = undefined;
      (async () => {
        for (let i = 0; i < 50 && mapped(address); i++) {
          globalThis.gc();
          await new Promise((resolve) => setImmediate(resolve));
        }
        console.log(before + ' ' + mapped(address));
      })();
    `,
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe('true false');
  });
});
