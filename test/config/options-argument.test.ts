// Regression (issue "Reliability"): `new HugepageTuner(null)` threw a plain TypeError, and a
// top-level option error named an empty field (`" must be an object"`). The argument itself is
// now named `options` in a typed error, wherever tuner options arrive.
import { describe, expect, it } from 'vitest';
import { HugepageTuner, InvalidArgumentError, parseTunerConfig } from '../../lib/index.js';
import { normalizeTunerOptions } from '../../lib/config/options.js';

const M = 2 ** 21;
const simTuner = () => new HugepageTuner({ source: { kind: 'sim', mappings: [{ start: 0x7f00_0000_0000, end: 0x7f00_0000_0000 + 8 * M }], workload: {} } });

function thrown(f: () => unknown): InvalidArgumentError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return e as InvalidArgumentError;
  }
  throw new Error('expected an error');
}

describe('the options argument is named when it is not an object', () => {
  it.each([null, 5, 'fast', [], true])('new HugepageTuner(%o)', (value) => {
    const error = thrown(() => new HugepageTuner(value as never));
    expect(error.field).toBe('options');
    expect(error.message).toMatch(/^options must be an object with keys pid, source, /);
  });

  it('normalizeTunerOptions, update() and a configuration whose top level is not a mapping', () => {
    expect(thrown(() => normalizeTunerOptions(7)).field).toBe('options');
    const tuner = simTuner();
    expect(thrown(() => tuner.update(null as never)).field).toBe('options');
    expect(thrown(() => parseTunerConfig('- 1\n- 2\n', 'yaml')).field).toBe('options');
    expect(thrown(() => parseTunerConfig('"text"', 'json')).field).toBe('options');
  });

  it('undefined still means the defaults, and keys keep their plain names', () => {
    expect(normalizeTunerOptions(undefined).seed).toBe(1);
    expect(thrown(() => normalizeTunerOptions({ sed: 1 })).field).toBe('sed');
    expect(() => simTuner().update({})).not.toThrow();
  });
});
