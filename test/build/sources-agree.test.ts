// binding.gyp and CMakeLists.txt must build the same sources: both take them from
// native/sources.cjs, which assigns every .cc file under native/ to exactly one group by folder.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const { sources, groups } = createRequire(import.meta.url)(path.join(root, 'native/sources.cjs')) as {
  sources(group: string): string[];
  groups: string[];
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

describe('native source list', () => {
  const listed = groups.flatMap((group) => sources(group));

  it('puts every .cc file under native/ in exactly one group', () => {
    const onDisk = walk(path.join(root, 'native'))
      .filter((f) => f.endsWith('.cc'))
      .map((f) => path.relative(root, f))
      .sort();
    expect([...listed].sort()).toEqual(onDisk);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('keeps OS headers out of portable sources', () => {
    for (const file of sources('portable')) {
      const text = readFileSync(path.join(root, file), 'utf8');
      expect(text, file).not.toMatch(/#include\s*<(linux\/|sys\/|unistd\.h|fcntl\.h)/);
      expect(text, file).not.toMatch(/#include\s*"[^"]*\blinux\//);
    }
  });

  it('gives binding.gyp and CMake the same lists', () => {
    expect(readFileSync(path.join(root, 'binding.gyp'), 'utf8')).toContain('node native/sources.cjs portable');
    for (const group of groups) {
      const gyp = execFileSync('node', ['native/sources.cjs', group], { cwd: root, encoding: 'utf8' });
      const cmake = execFileSync('node', ['native/sources.cjs', group, '--cmake'], { cwd: root, encoding: 'utf8' });
      expect(cmake.split(';').filter(Boolean)).toEqual(gyp.split(' ').filter(Boolean));
    }
    expect(readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8')).toContain('node native/sources.cjs ${group} --cmake');
  });
});
