// The heatmap as SVG: address across (the monitored ranges side by side), time down, access
// rate as colour, and a cyan strip along the bottom of every cell the kernel had on huge pages.
import { formatBytes } from '../units/bytes.js';
import type { HeatGrid } from './heatmap.js';
import { hex } from './text.js';

/** Dark blue (never accessed) through red to yellow (accessed in every sample). */
const STOPS: [number, number, number][] = [
  [12, 7, 46],
  [95, 18, 110],
  [187, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

export function heatColour(rate: number): string {
  const x = Math.max(0, Math.min(1, rate)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  const c = a.map((v, k) => Math.round(v + (b[k]! - v) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

export const HUGE_COLOUR = '#22d3ee';

export interface SvgLayout {
  width: number;
  height: number;
}

const MARGIN = { left: 70, right: 20, top: 40, bottom: 70 };

/** The SVG's size for a grid: `cellWidth`/`cellHeight` pixels per cell plus margins for axes and legend. */
export function svgLayout(grid: HeatGrid, cellWidth = 4, cellHeight = 6): SvgLayout {
  return { width: MARGIN.left + grid.columns * cellWidth + MARGIN.right, height: MARGIN.top + Math.max(1, grid.rows) * cellHeight + MARGIN.bottom };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function heatmapSvg(grid: HeatGrid, options: { title?: string; cellWidth?: number; cellHeight?: number } = {}): string {
  const cw = options.cellWidth ?? 4;
  const ch = options.cellHeight ?? 6;
  const { width, height } = svgLayout(grid, cw, ch);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="13">${escape(options.title ?? 'access heatmap')}</text>`,
  ];
  const huge = Math.max(1, Math.round(ch / 3));
  grid.cells.forEach((row, r) => {
    const y = MARGIN.top + r * ch;
    // Runs of one colour (and of huge cells) are drawn as one rectangle each.
    let c = 0;
    while (c < row.length) {
      const colour = heatColour(row[c]!.rate);
      let e = c + 1;
      while (e < row.length && heatColour(row[e]!.rate) === colour) e++;
      out.push(`<rect x="${MARGIN.left + c * cw}" y="${y}" width="${(e - c) * cw}" height="${ch}" fill="${colour}"/>`);
      c = e;
    }
    c = 0;
    while (c < row.length) {
      if (row[c]!.huge < 0.5) {
        c++;
        continue;
      }
      let e = c + 1;
      while (e < row.length && row[e]!.huge >= 0.5) e++;
      out.push(`<rect class="huge" x="${MARGIN.left + c * cw}" y="${y + ch - huge}" width="${(e - c) * cw}" height="${huge}" fill="${HUGE_COLOUR}"/>`);
      c = e;
    }
  });
  const plotBottom = MARGIN.top + Math.max(1, grid.rows) * ch;
  // Address axis: where each monitored range begins.
  const scale = grid.axisBytes > 0 ? (grid.columns * cw) / grid.axisBytes : 0;
  for (const seg of grid.segments) {
    const x = MARGIN.left + seg.offset * scale;
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${plotBottom + 4}" stroke="#888" stroke-width="0.5"/>`);
    const bytes = Number(seg.end - seg.start);
    if (bytes >= grid.axisBytes / 8) out.push(`<text x="${x + 2}" y="${plotBottom + 15}">${hex(seg.start)} (${escape(formatBytes(bytes))})</text>`);
  }
  // Time axis: first, middle and last row.
  for (const r of [...new Set([0, Math.floor(grid.rows / 2), grid.rows - 1])].filter((x) => x >= 0 && x < grid.times.length)) {
    out.push(`<text x="${MARGIN.left - 6}" y="${MARGIN.top + r * ch + ch}" text-anchor="end">${((grid.times[r]?.endMs ?? 0) / 1000).toFixed(1)} s</text>`);
  }
  out.push(`<text x="${MARGIN.left}" y="${plotBottom + 30}">address (monitored ranges side by side, ${escape(formatBytes(grid.axisBytes))}) → ; time ↓</text>`);
  // Legend: the colour scale and the huge-page mark.
  const ly = plotBottom + 42;
  for (let i = 0; i <= 10; i++) out.push(`<rect x="${MARGIN.left + i * 12}" y="${ly}" width="12" height="10" fill="${heatColour(i / 10)}"/>`);
  out.push(`<text x="${MARGIN.left + 138}" y="${ly + 9}">access rate 0 → 100 %</text>`);
  out.push(`<rect x="${MARGIN.left + 290}" y="${ly + 6}" width="24" height="${huge}" fill="${HUGE_COLOUR}"/>`);
  out.push(`<text x="${MARGIN.left + 320}" y="${ly + 9}">on 2 MiB huge pages</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
