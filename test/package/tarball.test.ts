// The packed tarball is what users install: it must carry the prebuilt addon and both module
// formats, install into a fresh project without a compiler, and work there.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAsync } from '../helpers/spawn-async.js';

const root = path.resolve(__dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'thp-autotune-pack-'));
let tarball = '';
// Asynchronously: npm install on a busy machine can take over a minute, and a test worker
// blocked that long misses vitest's own RPC deadline.
async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await spawnAsync(command, args, { cwd, env: { ...process.env, ...env }, timeoutMs: 170_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.signal ?? r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

beforeAll(async () => {
  // `npm test` built dist/ and prebuilds/ already; --ignore-scripts keeps npm pack from rebuilding
  // the addon under the feet of tests running in parallel.
  const packed = JSON.parse(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(work, packed[0]!.filename);
  writeFileSync(path.join(work, 'files.json'), JSON.stringify(packed[0]!.files.map((f) => f.path)));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('contains the prebuild, ESM and CJS builds with types, the metrics entries, the CLI, the docs, and no tests', () => {
    const files = JSON.parse(readFileSync(path.join(work, 'files.json'), 'utf8')) as string[];
    expect(files).toContain(`prebuilds/${process.platform}-${process.arch}/thp-autotune.node`);
    for (const file of [
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/cli.cjs',
      'bin/thp-autotune.cjs',
      'binding.gyp',
      'native/sources.cjs',
      'dist/prometheus.js',
      'dist/prometheus.cjs',
      'dist/prometheus.d.ts',
      'dist/otel.js',
      'dist/otel.cjs',
      'dist/otel.d.cts',
      'docs/cli.md',
      'docs/metrics.md',
    ]) {
      expect(files).toContain(file);
    }
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('build/'))).toBe(false);
  });

  it('installs into a fresh project without a compiler and works from CJS, ESM and the CLI', async () => {
    const project = path.join(work, 'consumer');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    // A compiler that always fails: if installing tried to build from source, it would fail.
    const noCompiler = { CC: '/bin/false', CXX: '/bin/false', npm_config_build_from_source: 'false' };
    await run('npm', ['install', '--no-audit', '--no-fund', tarball], project, noCompiler);

    const cjs = await run(
      'node',
      [
        '-e',
        `
      const t = require('thp-autotune');
      const buffer = t.allocAligned(4 * 1024 * 1024);
      new Uint8Array(buffer).fill(1);
      t.residency(buffer).then((units) => console.log(JSON.stringify(units.map((u) => u.residentPages))));
    `,
      ],
      project,
      noCompiler,
    );
    expect(cjs.trim()).toBe('[512,512]');

    const esm = await run(
      'node',
      [
        '--input-type=module',
        '-e',
        `
      import { pageGeometry, InvalidArgumentError } from 'thp-autotune';
      console.log(pageGeometry().hugePageSize, typeof InvalidArgumentError);
    `,
      ],
      project,
      noCompiler,
    );
    expect(esm.trim()).toBe('2097152 function');

    const sysinfo = JSON.parse(await run('npx', ['--no-install', 'thp-autotune', 'sysinfo', '--json'], project, noCompiler)) as { platform: { addon: { supported: boolean } } };
    expect(sysinfo.platform.addon.supported).toBe(true);
    // The addon must have come from the tarball's prebuild, not from a build in node_modules.
    await expect(run('ls', ['node_modules/thp-autotune/build'], project)).rejects.toThrow();
  }, 180_000);
});
