// Number formats shared by the console tables, RESULTS.md and the README block.
import type { Stat } from '../summary.js';

const NA = 'n/a';

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? NA : `${(v * 100).toFixed(digits)}%`;
}

export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NA;
  const abs = Math.abs(v);
  if (abs >= 2 ** 30) return `${(v / 2 ** 30).toFixed(2)} GiB`;
  if (abs >= 2 ** 20) return `${(v / 2 ** 20).toFixed(0)} MiB`;
  return `${(v / 2 ** 10).toFixed(0)} KiB`;
}

export function seconds(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? NA : `${(ms / 1000).toFixed(1)} s`;
}

/** Operations per second, scaled to what keeps three significant digits readable. */
export function rate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NA;
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(1);
}

/** A median with its spread (half the range over rounds) when there was more than one round. */
export function withSpread(s: Stat | null | undefined, f: (v: number) => string): string {
  if (!s) return NA;
  return s.n > 1 ? `${f(s.median)} ±${f(s.spread)}` : f(s.median);
}
