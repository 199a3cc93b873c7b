// Acting on another process goes through the kernel's permission checks (process_madvise
// needs PTRACE_MODE_READ access and CAP_SYS_NICE; /proc/<pid>/smaps and pagemap need ptrace
// read access): an unprivileged process (uid nobody) gets a typed PermissionDeniedError
// naming the pid and the call for a root-owned target. And by construction the package runs
// no shell or other program and writes only to DAMON's sysfs tree (checked in its sources).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distEntry } from '../helpers/dist-entry.js';
import { runAsNobody, startIdleChild, stopChild } from '../helpers/processes.js';

const root = path.resolve(__dirname, '../..');

function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && extensions.some((x) => e.name.endsWith(x)))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('permissions', () => {
  it('refuses an unprivileged process acting on a root-owned one with PermissionDeniedError', async (ctx) => {
    const target = await startIdleChild(16);
    try {
      const script = `require(${JSON.stringify(path.join(__dirname, 'fixtures/unprivileged-child.cjs'))})(require(${JSON.stringify(distEntry)}), ${target.pid})
        .then((r) => process.stdout.write(JSON.stringify(r) + '\\n'))`;
      const r = runAsNobody(script);
      if ('unavailable' in r) {
        console.log(`permission test skipped: ${r.unavailable}`);
        ctx.skip();
        return;
      }
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      console.log(`as uid ${out.uid}: collapse ${out.collapse?.message}; collapse of its own child ${out.ownCollapse?.message}; smaps ${out.smaps?.message}; tuner ${out.tuner?.message}`);
      expect(out.uid).toBe(65534);
      for (const call of ['collapse', 'residency', 'smaps']) {
        expect(out[call]).toMatchObject({ name: 'PermissionDeniedError', code: 'ERR_THP_PERMISSION_DENIED', pid: target.pid });
        expect(out[call].message).toContain(String(target.pid));
      }
      // Its own user's process: ptrace access is granted, process_madvise still wants CAP_SYS_NICE.
      expect(out.ownCollapse).toMatchObject({ name: 'PermissionDeniedError', code: 'ERR_THP_PERMISSION_DENIED', syscall: 'process_madvise' });
      // Another process can only be tuned through the kernel's DAMON (root); refused either way.
      expect(out.tuner?.code).toMatch(/^ERR_THP_(PERMISSION_DENIED|NOT_SUPPORTED)$/);
    } finally {
      await stopChild(target);
    }
  });

  it('never runs a shell or another program: lib/ does not use child_process', () => {
    const users = filesUnder('lib', ['.ts']).filter((f) => /child_process|\bexecve?\b|\bspawn\b/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(users).toEqual([]);
    const native = filesUnder('native', ['.cc', '.h']).filter((f) => /\b(system|popen|exec[lv]p?e?|posix_spawnp?|fork|vfork)\s*\(/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(native).toEqual([]);
  });

  it('writes only to DAMON sysfs files and files its caller names: nothing else is opened for writing, in lib/ or native/', () => {
    const jsWriters = filesUnder('lib', ['.ts']).filter((f) =>
      /\b(writeFile|appendFile|createWriteStream|openSync|truncate|rm|rmSync|unlink|mkdir|rename|copyFile)(Sync)?\s*\(/.test(readFileSync(path.join(root, f), 'utf8')),
    );
    // Files the caller names (SECURITY.md): a recording, heatmap images, advise --pid's private temporary directory.
    expect(jsWriters.sort()).toEqual(['lib/cli/commands/advise.ts', 'lib/cli/commands/report.ts', 'lib/record/recorder.ts']);
    const nativeWriters = filesUnder('native', ['.cc', '.h']).filter((f) =>
      /O_WRONLY|O_RDWR|O_CREAT|\bfopen\s*\(|ofstream|\b(unlink|rmdir|mkdir|rename|truncate|process_vm_writev)\s*\(|PTRACE_POKE/.test(readFileSync(path.join(root, f), 'utf8')),
    );
    expect(nativeWriters).toEqual(['native/sources/kernel_damon/linux/sysfs_dir.cc']);
    // ... and it refuses any path outside /sys/kernel/mm/damon/admin.
    expect(readFileSync(path.join(root, nativeWriters[0]!), 'utf8')).toMatch(/refusing to write outside/);
  });
});
