// Property tests of the /proc text parsers behind lib/procfs (native, through the addon) and
// of the kernel-config reader: any text is parsed or rejected with the package's FormatError,
// never another error and never a crash; real lines mixed with noise reach the parsers' edges.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configOption } from '../../lib/capabilities/kernel-config.js';
import { FormatError } from '../../lib/errors.js';
import { nativeAvailable } from '../../lib/native/binding.js';
import { parseMaps, parseMemoryPressure, parseMeminfo, parseSmaps, parseSmapsRollup, parseVmstat } from '../../lib/procfs/index.js';
import { fixturePath } from '../helpers/fixtures.js';

const linux = process.platform === 'linux' && nativeAvailable();
if (!linux) console.log('procfs parser properties skipped: they need the native addon on Linux');

const runs = { numRuns: 300 };
const fixtureLines = (name: string) => readFileSync(fixturePath(`procfs/${name}`), 'utf8').split('\n');
// Lines of the real format, lines cut or spliced at random, and arbitrary text, joined.
const textOf = (lines: string[]) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...lines),
        fc.tuple(fc.constantFrom(...lines), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 })).map(([l, at, s]) => l.slice(0, at % (l.length + 1)) + s),
        fc.string({ unit: 'binary', maxLength: 40 }),
      ),
      { maxLength: 30 },
    )
    .map((picked) => picked.join('\n'));

function parsedOrFormatError(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
  }
}

describe.skipIf(!linux)('procfs text parsers', () => {
  const cases: [string, string, (text: string) => unknown][] = [
    ['maps', 'maps-odd.txt', parseMaps],
    ['smaps', 'smaps-odd.txt', parseSmaps],
    ['smaps_rollup', 'smaps_rollup-odd.txt', parseSmapsRollup],
    ['meminfo', 'meminfo-odd.txt', parseMeminfo],
    ['vmstat', 'vmstat-odd.txt', parseVmstat],
    ['pressure', 'pressure-memory-busy.txt', parseMemoryPressure],
  ];
  it.each(cases)('%s: any text is parsed or a FormatError', (_name, fixture, parse) => {
    fc.assert(
      fc.property(textOf(fixtureLines(fixture)), (text) => parsedOrFormatError(() => parse(text))),
      runs,
    );
  });

  it('maps: every VMA it accepts starts at or before its end', () => {
    fc.assert(
      fc.property(textOf(fixtureLines('maps-odd.txt')), (text) => {
        try {
          for (const vma of parseMaps(text)) expect(vma.start <= vma.end).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(FormatError);
        }
      }),
      runs,
    );
  });
});

describe('kernel config', () => {
  const configLines = readFileSync(fixturePath('procfs/kernel-config-excerpt.txt'), 'utf8').split('\n');
  it('answers y, m, n or undefined for any text and any option name, never throwing', () => {
    fc.assert(
      fc.property(textOf(configLines), fc.string({ unit: 'binary', maxLength: 30 }), (text, name) => {
        expect([undefined, 'y', 'm', 'n']).toContain(configOption(text, name));
      }),
      { numRuns: 300 },
    );
  });

  it('finds an option wherever its line stands', () => {
    fc.assert(
      fc.property(textOf(configLines), fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/), fc.constantFrom('y', 'm'), (text, name, value) => {
        const lines = text.split('\n').filter((l) => !l.includes(`CONFIG_${name}=`) && !l.includes(`CONFIG_${name} `));
        lines.splice(lines.length >> 1, 0, `CONFIG_${name}=${value}`);
        expect(configOption(lines.join('\n'), name)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
