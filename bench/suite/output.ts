// Where a run's files go and how the pages are regenerated from a results file. A full run
// writes into the repository (bench/results/<date>-<cpu>-<kernel>.json, bench/RESULTS.md, the
// README block); a quick run, a smoke test whose numbers mean little, writes the same files
// under a scratch folder so that it never replaces the published results.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readmeBlock, resultsPage } from './report/markdown.js';
import { plotPoints, plotSvg } from './report/plot.js';
import { RESULTS_FORMAT, type SuiteResults } from './results.js';
import { summarize } from './summary.js';
import { checkTargets } from './targets.js';

export const REPO = path.resolve(__dirname, '../..');
export const BEGIN = '<!-- results:begin -->';
export const END = '<!-- results:end -->';

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');

export function resultsStem(r: Pick<SuiteResults, 'startedAt' | 'machine' | 'scale'>): string {
  return `${r.startedAt.slice(0, 10)}-${slug(r.machine.cpuModel)}-${slug(r.machine.kernel)}${r.scale === 'quick' ? '-quick' : ''}`;
}

/** The folder the bench/ files go to: the repository's for a full run, a scratch one for quick. */
export function outputRoot(scale: SuiteResults['scale'], override: string | undefined): string {
  if (override) return path.resolve(override);
  return scale === 'full' ? path.join(REPO, 'bench') : path.join(tmpdir(), 'thp-autotune-bench-quick', 'bench');
}

/** Replaces what lies between the markers; null when the text has no such pair. */
export function replaceBlock(text: string, block: string): string | null {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END, begin + BEGIN.length);
  if (begin < 0 || end < 0) return null;
  return `${text.slice(0, begin + BEGIN.length)}\n${block}\n${text.slice(end)}`;
}

export function readResults(file: string): SuiteResults {
  const r = JSON.parse(readFileSync(file, 'utf8')) as SuiteResults;
  if (r.format !== RESULTS_FORMAT) throw new Error(`${file} is not a results file of the suite (format '${String(r.format)}')`);
  return r;
}

export interface Written {
  json: string | null;
  page: string;
  svg: string;
  readme: string;
}

/**
 * Writes the page and plot for `results` (stored at `jsonFile`) under `root`, and the README
 * block: into README.md when root is the repository's bench/ folder and README.md has the
 * markers, else next to the page as README-block.md.
 */
export function writePages(results: SuiteResults, jsonFile: string, root: string): Written {
  const summaries = summarize(results);
  const targets = checkTargets(summaries);
  const svg = jsonFile.replace(/\.json$/, '.svg');
  const page = path.join(root, 'RESULTS.md');
  const rel = (f: string) => path.relative(path.dirname(page), f).split(path.sep).join('/');
  writeFileSync(svg, plotSvg(plotPoints(summaries)));
  writeFileSync(page, resultsPage(results, summaries, targets, { json: rel(jsonFile), svg: rel(svg) }));
  const block = readmeBlock(results, summaries, path.relative(REPO, page).split(path.sep).join('/'));
  const readmeFile = path.join(REPO, 'README.md');
  let readme: string;
  const replaced = root === path.join(REPO, 'bench') && existsSync(readmeFile) ? replaceBlock(readFileSync(readmeFile, 'utf8'), block) : null;
  if (replaced !== null) {
    writeFileSync(readmeFile, replaced);
    readme = readmeFile;
  } else {
    readme = path.join(root, 'README-block.md');
    writeFileSync(readme, `${block}\n`);
  }
  return { json: jsonFile, page, svg, readme };
}

export function writeResults(results: SuiteResults, root: string): string {
  const dir = path.join(root, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${resultsStem(results)}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
  return file;
}
