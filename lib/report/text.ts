// Plain-text building blocks of the reports: bars and aligned tables.

/** `|*****     |`: value as a share of max, `width` characters inside the bars. */
export function bar(value: number, max: number, width = 20): string {
  const filled = max > 0 ? Math.max(0, Math.min(width, Math.round((value / max) * width))) : 0;
  return `|${'*'.repeat(filled)}${' '.repeat(width - filled)}|`;
}

/** Columns separated by two spaces; the first left-aligned, the others right-aligned unless listed in `left`. */
export function table(header: string[], rows: string[][], left: readonly number[] = [0]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (left.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** 12.5 %, one decimal. */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** Milliseconds as seconds with three decimals: `12.345 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

export function hex(address: bigint | number): string {
  return `0x${address.toString(16)}`;
}
