// A heatmap SVG made from a real recording opens in a real browser: headless Chromium (Debian's
// package, installed by .ci/run) takes a screenshot of it that is not blank, and the PNG from
// resvg decodes to the SVG's size with content in it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { brightnessVariance, decodePng } from '../helpers/png.js';
import { recordFixture, thp } from '../helpers/recording.js';

function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

const chromium = findChromium();
const pagemapMissing = pagemapUnavailable();
const skipReason = chromium === null ? 'no chromium on PATH (apt-get install chromium)' : pagemapMissing;
if (skipReason) console.log(`heatmap in Chromium skipped: ${skipReason}`);
const dir = mkdtempSync(path.join(tmpdir(), 'thp-heatmap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(skipReason !== null)('heatmap of a real recording', () => {
  it('renders in headless Chromium with content, and as a PNG of its own size', { timeout: 180_000 }, async () => {
    const recording = path.join(dir, 'app.jsonl.gz');
    const run = await recordFixture(recording);
    expect(run.status, run.stderr).toBe(0);
    const svg = path.join(dir, 'heat.svg');
    const png = path.join(dir, 'heat.png');
    const r = await thp(['report', 'heatmap', recording, '--out', svg, '--png', png]);
    expect(r.status, r.stderr).toBe(0);
    const [, width, height] = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(readFileSync(svg, 'utf8'))!.map(Number);

    const image = decodePng(readFileSync(png));
    expect([image.width, image.height]).toEqual([width, height]);
    expect(brightnessVariance(image)).toBeGreaterThan(100);

    const shot = path.join(dir, 'shot.png');
    const browser = spawnSync(
      chromium!,
      ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${path.join(dir, 'profile')}`, `--screenshot=${shot}`, `--window-size=${width},${height}`, `file://${svg}`],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(existsSync(shot), `chromium exited ${browser.status}: ${browser.stderr.slice(-1000)}`).toBe(true);
    const screenshot = decodePng(readFileSync(shot));
    expect([screenshot.width, screenshot.height]).toEqual([width, height]);
    // A blank page has no variance; the heatmap's dark cold cells, bright hot ones and white margins have plenty.
    expect(brightnessVariance(screenshot)).toBeGreaterThan(100);
  });
});
