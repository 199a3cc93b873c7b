// Every TypeScript and JavaScript example of the README and of the guides in RUNNABLE_DOCS runs,
// as written, on the Node running
// the tests (CI runs Node 20, the oldest `engines` allows): types are stripped by esbuild with
// no syntax lowering (target esnext), so syntax this Node lacks (`await using` on Node 20)
// fails here as it would for a reader. Each example imports the package by name (the built
// dist/, through the package's own exports) from a file inside the checkout.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import '../helpers/dist-entry.js'; // the examples import the built package: fails here without a build

const root = path.resolve(__dirname, '../..');
const runDir = path.join(root, '.cache', `readme-examples-${process.pid}`);

interface Example {
  line: number;
  lang: string;
  code: string;
}

/** Fenced ```ts and ```js blocks with the line they start on. */
function codeBlocks(markdown: string): Example[] {
  const out: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|js|typescript|javascript)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    out.push({ line: i + 1, lang: open[1] as string, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

/**
 * Guides whose every block is a whole program. Other pages (docs/metrics.md, docs/cli.md) show
 * fragments that continue one another or need a service around them, so they are not listed.
 */
const RUNNABLE_DOCS = ['README.md', 'docs/memory.md', 'docs/monitor.md', 'docs/simulator.md', 'docs/tuning.md', 'docs/troubleshooting.md'];

const examples: Array<Example & { page: string }> = [];
for (const page of RUNNABLE_DOCS) {
  for (const e of codeBlocks(await readFile(path.join(root, page), 'utf8'))) examples.push({ ...e, page });
}

afterAll(() => rm(runDir, { recursive: true, force: true }));

describe('README and guide examples', () => {
  it('has examples to run', () => {
    // The README's first embedding example at least, and the guides' API examples.
    expect(examples.filter((e) => e.page === 'README.md').length).toBeGreaterThanOrEqual(1);
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples.map((e) => [`${e.page} line ${e.line}`, e] as const))('the example at %s runs', { timeout: 90_000 }, async (where, example) => {
    const { code } = await transform(example.code, { loader: example.lang.startsWith('t') ? 'ts' : 'js', format: 'esm', target: 'esnext' });
    await mkdir(runDir, { recursive: true });
    const file = path.join(runDir, `${example.page.replace(/\W/g, '-')}-${example.line}.mjs`);
    await writeFile(file, code);
    const run = await promisify(execFile)(process.execPath, [file], { cwd: root, timeout: 60_000, maxBuffer: 64 * 2 ** 20 }).catch((e: { code?: number; stdout?: string; stderr?: string }) => ({
      stdout: e.stdout ?? '',
      stderr: `exit ${e.code}: ${e.stderr ?? ''}`,
    }));
    expect(run.stderr, where).toBe('');
    expect(run.stdout.length, `${where}: prints what it shows`).toBeGreaterThan(0);
  });
});
