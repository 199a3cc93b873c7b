// The resume marker (Documentation/mm/damon/design.rst, "Regions Walking" skip_charged_region): when a window's quota runs out,
// the next window starts after the last byte charged, so successive windows walk the whole
// address space instead of always the lowest addresses. Regions are ordered starting at the
// marker and wrapping around, which is what the kernel's skip-then-clear amounts to over a
// walk; a region straddling the marker is split at it.

export interface Span {
  start: number;
  end: number;
}

/** `regions` (sorted by address) rotated to start at `marker`, the straddling one split. */
export function fromMarker<T extends Span>(regions: readonly T[], marker: number | null, cut: (r: T, at: number) => [T, T]): T[] {
  if (marker === null) return [...regions];
  const after: T[] = [];
  const before: T[] = [];
  for (const r of regions) {
    if (r.end <= marker) before.push(r);
    else if (r.start >= marker) after.push(r);
    else {
      const [left, right] = cut(r, marker);
      before.push(left);
      after.push(right);
    }
  }
  return [...after, ...before];
}
