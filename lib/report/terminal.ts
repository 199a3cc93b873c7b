// The heatmap in a terminal, damo style: one character per cell, the digit 0-9 its access
// rate. With colour (a TTY without NO_COLOR) each cell's background is its heat colour and
// huge cells are underlined; without colour a huge cell's digit becomes a letter a-j.
import type { HeatGrid } from './heatmap.js';
import { heatColour } from './svg.js';

function digit(rate: number): number {
  return Math.min(9, Math.floor(rate * 10));
}

function ansiBackground(hexColour: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hexColour.slice(i, i + 2), 16));
  return `\x1b[48;2;${r};${g};${b}m${(r ?? 0) + (g ?? 0) + (b ?? 0) > 384 ? '\x1b[30m' : '\x1b[37m'}`;
}

export function terminalHeatmap(grid: HeatGrid, options: { colour: boolean }): string {
  const lines = grid.cells.map((row, r) => {
    const cells = row.map((cell) => {
      const d = digit(cell.rate);
      const huge = cell.huge >= 0.5;
      if (!options.colour) return huge ? String.fromCharCode(97 + d) : String(d);
      return `${ansiBackground(heatColour(cell.rate))}${huge ? '\x1b[4m' : ''}${d}\x1b[0m`;
    });
    return `${((grid.times[r]?.endMs ?? 0) / 1000).toFixed(1).padStart(8)} s ${cells.join('')}`;
  });
  const legend = options.colour ? '0-9: access rate 0-100 %, underlined: on huge pages' : '0-9: access rate 0-100 %, a-j: the same on huge pages';
  return [...lines, `${' '.repeat(11)}address → (${grid.segments.length} monitored ranges side by side); ${legend}`].join('\n');
}
