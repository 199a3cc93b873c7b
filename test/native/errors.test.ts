import { describe, expect, it } from 'vitest';
import { FormatError, NoSuchProcessError, PermissionDeniedError, SystemCallError, ThpError } from '../../lib/errors.js';
import { nativeBinding } from '../../lib/native/binding.js';
import { fromNativeError } from '../../lib/native/errors.js';
import { unusedPid } from '../helpers/processes.js';

/** The error the addon really rejects with, untouched by the wrappers. */
async function nativeRejection(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await run();
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('the native call did not fail');
}

describe('fromNativeError: native errno errors become typed errors', () => {
  it('ENOENT on /proc/<pid> of another process is NoSuchProcessError; without a pid it is a SystemCallError', async () => {
    const pid = unusedPid();
    const raw = await nativeRejection(() => nativeBinding().procfs.readSmaps(pid));
    expect(raw).toMatchObject({ errno: 'ENOENT', syscall: 'open', path: `/proc/${pid}/smaps` });
    expect(fromNativeError(raw, { pid })).toEqual(new NoSuchProcessError(pid));
    const untargeted = fromNativeError(raw);
    expect(untargeted).toBeInstanceOf(SystemCallError);
    expect(untargeted.message).toBe(`open failed with ENOENT: /proc/${pid}/smaps`);
  });

  it('a format failure of a real parser becomes FormatError naming the source', () => {
    let raw: unknown;
    try {
      nativeBinding().procfs.parseVmstat('thp_fault_alloc x');
    } catch (error) {
      raw = error;
    }
    const error = fromNativeError(raw, { source: '/proc/vmstat' });
    expect(error).toBeInstanceOf(FormatError);
    expect(error.message).toBe('/proc/vmstat text is malformed: vmstat line 1 is not "name value": "thp_fault_alloc x"');
  });

  // The remaining errno values cannot be provoked on demand here; these objects have the
  // shape native/addon/errors.h documents (errno name, syscall, optional path).
  it.each([
    [{ errno: 'ESRCH', syscall: 'pidfd_open', message: 'pidfd_open: No such process' }, NoSuchProcessError, 'no process with pid 4321 exists'],
    [{ errno: 'EPERM', syscall: 'process_madvise', message: 'x' }, PermissionDeniedError, 'process_madvise on pid 4321 was refused: EPERM'],
    [{ errno: 'EINVAL', syscall: 'madvise', message: 'madvise: Invalid argument' }, SystemCallError, 'madvise failed with EINVAL: madvise: Invalid argument'],
  ])('%j', (raw, type, message) => {
    const error = fromNativeError(raw, { pid: 4321 });
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(ThpError);
    expect(error.message).toBe(message);
  });

  it('passes through errors that are not native errno errors, and typed errors unchanged', () => {
    const plain = new TypeError('not native');
    expect(fromNativeError(plain)).toBe(plain);
    const typed = new NoSuchProcessError(7);
    expect(fromNativeError(typed, { pid: 9 })).toBe(typed);
  });
});
