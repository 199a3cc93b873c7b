// Property tests of tuner configuration text (lib/config): any JSON or YAML text, and any
// JSON value, is accepted or rejected with the package's typed errors (FormatError for text
// that is not JSON/YAML, InvalidArgumentError naming the field otherwise), never another error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, InvalidArgumentError } from '../../lib/errors.js';
import { parseTunerConfig } from '../../lib/config/index.js';

const runs = { numRuns: 300 };
// Values shaped like a tuner configuration, with wrong types and values mixed in.
const leaf = fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom('5%', '1s', '10ms', '2M', 'self', 'pagemap', 'sim', -1, 0, 511, 1e300, null));
const keys = fc.constantFrom(
  'source',
  'pid',
  'schemes',
  'pattern',
  'quota',
  'goals',
  'monitoring',
  'watermarks',
  'filters',
  'accessRate',
  'min',
  'max',
  'time',
  'size',
  'maxPtesNone',
  'signal',
  '__proto__',
  'constructor',
);
const configLike = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(keys, tie('node'), { maxKeys: 4 })),
})).node;

function onlyTypedErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(
      [FormatError, InvalidArgumentError].some((type) => error instanceof type),
      String(error),
    ).toBe(true);
  }
}

describe('parseTunerConfig', () => {
  it('takes any text as JSON or YAML and fails only with typed errors', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('json' as const, 'yaml' as const), (text, format) => onlyTypedErrors(() => parseTunerConfig(text, format))),
      runs,
    );
  });

  it('takes any configuration-shaped value and fails only with InvalidArgumentError', () => {
    fc.assert(
      fc.property(configLike, (value) => {
        const text = JSON.stringify(value) ?? 'null';
        onlyTypedErrors(() => parseTunerConfig(text, 'json'));
      }),
      runs,
    );
  });
});
