// Regression (issue "Reliability"): loadTunerConfig had no limits. A YAML file of 200,000
// keys blocked the event loop for minutes (the yaml library's duplicate-key check is
// quadratic), a 10 MB file used 1.7 GB and gave an 11.8 MB error message, and /dev/zero as
// the configuration gave an untyped RangeError after reading a GiB. Files are now bounded
// before parsing (regular files of at most 1 MiB, then their structure), and every error is
// typed with a short message.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FormatError, InvalidArgumentError, loadTunerConfig, parseTunerConfig } from '../../lib/index.js';
import { rejection } from '../helpers/rejection.js';
import { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, MAX_CONFIG_NODES } from '../../lib/config/file.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tuner-config-limits-'));
});

/** `count` distinct top-level keys, one per line. */
const manyKeys = (count: number) => Array.from({ length: count }, (_, i) => `k${i}: ${i}`).join('\n');

describe('configuration files are bounded before they are parsed', () => {
  it('a file over the size limit is refused from its size, with a short message', async () => {
    const file = join(dir, 'huge.yaml');
    await writeFile(file, `# ${'x'.repeat(10 * 2 ** 20)}\n`);
    const error = await rejection(loadTunerConfig(file));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ field: 'config' });
    expect(error.message).toContain(`a file of at most ${MAX_CONFIG_BYTES} bytes`);
    expect(error.message.length).toBeLessThan(400);
  });

  it('many keys in a file under the size limit are refused before the quadratic duplicate check', async () => {
    const file = join(dir, 'keys.yaml');
    const text = manyKeys(60_000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_CONFIG_BYTES);
    await writeFile(file, text);
    const error = await rejection(loadTunerConfig(file));
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toContain(`at most ${MAX_CONFIG_NODES} values`);
  });

  it('more values than the limit are refused even when they are few lines (JSON on one line)', () => {
    const text = JSON.stringify({ schemes: [{ filters: Array.from({ length: MAX_CONFIG_NODES + 1 }, () => 0) }] });
    expect(() => parseTunerConfig(text, 'json')).toThrow(FormatError);
    const deep = `${'['.repeat(MAX_CONFIG_DEPTH + 1)}${']'.repeat(MAX_CONFIG_DEPTH + 1)}`;
    expect(() => parseTunerConfig(deep, 'json')).toThrow(/nesting deeper than 32/);
    expect(() => parseTunerConfig(deep, 'yaml')).toThrow(/nesting deeper than 32/);
  });

  it('YAML keeps refusing duplicate keys, and alias bombs', () => {
    expect(() => parseTunerConfig('seed: 1\nseed: 2\n', 'yaml')).toThrow(/keys must be unique; seed repeats/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
    expect(() => parseTunerConfig(bomb, 'yaml')).toThrow(FormatError);
  });

  it.each(['/dev/zero', '/dev/urandom'])('%s (through a .yaml name) is refused as not a regular file, without reading it', async (device) => {
    const file = join(dir, `${device.slice(5)}.yaml`);
    await symlink(device, file);
    const error = await rejection(loadTunerConfig(file));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(/^config must be a regular file/);
  });

  it('a FIFO is refused without waiting for a writer, and a directory too', async () => {
    const fifo = join(dir, 'pipe.json');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status === 0) await expect(loadTunerConfig(fifo)).rejects.toThrow(/^config must be a regular file/);
    else console.log(`FIFO case skipped: mkfifo failed (${made.stderr})`);
    const sub = join(dir, 'sub.yml');
    await mkdir(sub);
    await expect(loadTunerConfig(sub)).rejects.toThrow(/^config must be a regular file/);
  });

  it('an option error echoes at most 80 characters of the value it received', () => {
    const long = 'y'.repeat(100_000);
    const error = (() => {
      try {
        parseTunerConfig(`schemes:\n  - action: ${long}\n`, 'yaml');
      } catch (e) {
        return e as InvalidArgumentError;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.field).toBe('schemes[0].action');
    expect(error.received).toBe(long);
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toMatch(/\(100002 characters\)$/);
  });
});
