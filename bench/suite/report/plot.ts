// The plot of RESULTS.md: speedup kept against bloat removed, one point per workload and
// configuration where both are defined, with the targets' corner shaded and DAMON's published
// ethp result (51% kept, 76% removed over its 24-workload evaluation) for reference.
import type { ConfigName } from '../configurations.js';
import type { WorkloadSummary } from '../summary.js';

const W = 640;
const H = 440;
const PAD = { left: 60, right: 190, top: 20, bottom: 50 };
const X = { min: -0.2, max: 1.2 };
const Y = { min: -0.2, max: 1.4 };
const COLORS: Record<ConfigName, string> = {
  '4k': '#888888',
  always: '#444444',
  'glibc-hugetlb': '#9467bd',
  ethp: '#ff7f0e',
  'tuner-default': '#2ca02c',
  'tuner-recommended': '#1f77b4',
};

export interface PlotPoint {
  workload: string;
  config: ConfigName;
  kept: number;
  removed: number;
}

export function plotPoints(summaries: WorkloadSummary[]): PlotPoint[] {
  const out: PlotPoint[] = [];
  for (const s of summaries) {
    // 4 KiB pages and THP=always are the references, at (100%, 0%) and (0%, 100%) by definition.
    for (const c of s.cells) {
      if (c.config === '4k' || c.config === 'always') continue;
      if (c.speedupKept && c.bloatRemoved) out.push({ workload: s.workload.name, config: c.config, kept: c.speedupKept.median, removed: c.bloatRemoved.median });
    }
  }
  return out;
}

const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const px = (v: number) => PAD.left + ((Math.min(Math.max(v, X.min), X.max) - X.min) / (X.max - X.min)) * (W - PAD.left - PAD.right);
const py = (v: number) => H - PAD.bottom - ((Math.min(Math.max(v, Y.min), Y.max) - Y.min) / (Y.max - Y.min)) * (H - PAD.top - PAD.bottom);
const clipped = (p: PlotPoint) => p.removed < X.min || p.removed > X.max || p.kept < Y.min || p.kept > Y.max;

export function plotSvg(points: PlotPoint[]): string {
  const grid: string[] = [];
  for (let v = 0; v <= 1.2 + 1e-9; v += 0.2) {
    grid.push(`<line x1="${px(v)}" y1="${py(Y.min)}" x2="${px(v)}" y2="${py(Y.max)}" stroke="#eee"/>`);
    grid.push(`<text x="${px(v)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${Math.round(v * 100)}%</text>`);
  }
  for (let v = 0; v <= 1.4 + 1e-9; v += 0.2) {
    grid.push(`<line x1="${px(X.min)}" y1="${py(v)}" x2="${px(X.max)}" y2="${py(v)}" stroke="#eee"/>`);
    grid.push(`<text x="${PAD.left - 6}" y="${py(v) + 4}" text-anchor="end">${Math.round(v * 100)}%</text>`);
  }
  const target = `<rect x="${px(0.9)}" y="${py(Y.max)}" width="${px(X.max) - px(0.9)}" height="${py(0.9) - py(Y.max)}" fill="#2ca02c" fill-opacity="0.08"/>`;
  const reference = (x: number, y: number, label: string) =>
    `<g><rect x="${px(x) - 5}" y="${py(y) - 5}" width="10" height="10" fill="none" stroke="#000"/><text x="${px(x) + 8}" y="${py(y) + 4}">${label}</text></g>`;
  const references = [reference(0.7615, 0.5125, 'DAMON ethp (published)'), reference(1, 0, '4 KiB pages'), reference(0, 1, 'THP=always')];
  const dots = points.map((p) => {
    const fill = clipped(p) ? 'none' : COLORS[p.config];
    return `<circle cx="${px(p.removed).toFixed(1)}" cy="${py(p.kept).toFixed(1)}" r="5" fill="${fill}" stroke="${COLORS[p.config]}" stroke-width="2"><title>${escape(`${p.workload}, ${p.config}: ${Math.round(p.kept * 100)}% kept, ${Math.round(p.removed * 100)}% removed`)}</title></circle>`;
  });
  const configs = [...new Set(points.map((p) => p.config))];
  const legend = configs.map(
    (c, i) => `<g><circle cx="${W - PAD.right + 20}" cy="${PAD.top + 10 + i * 20}" r="5" fill="${COLORS[c]}"/><text x="${W - PAD.right + 32}" y="${PAD.top + 14 + i * 20}">${escape(c)}</text></g>`,
  );
  const notes = [
    `<text x="${W - PAD.right + 14}" y="${PAD.top + 30 + configs.length * 20}">shaded: both targets (90%)</text>`,
    `<text x="${W - PAD.right + 14}" y="${PAD.top + 46 + configs.length * 20}">hollow: off the scale</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    target,
    ...grid,
    `<line x1="${px(0)}" y1="${py(Y.min)}" x2="${px(0)}" y2="${py(Y.max)}" stroke="#999"/>`,
    `<line x1="${px(X.min)}" y1="${py(0)}" x2="${px(X.max)}" y2="${py(0)}" stroke="#999"/>`,
    ...references,
    ...dots,
    ...legend,
    ...notes,
    `<text x="${(px(X.min) + px(X.max)) / 2}" y="${H - 12}" text-anchor="middle">bloat removed (1 − extra RSS / THP=always's extra RSS)</text>`,
    `<text transform="translate(14 ${(py(Y.min) + py(Y.max)) / 2}) rotate(-90)" text-anchor="middle">speedup kept (gain / THP=always's gain)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
