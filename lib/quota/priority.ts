// Which regions a quota goes to first (Documentation/mm/damon/design.rst, "Quotas" "Prioritisation"): the kernel's hot
// score (ops-common.c damon_hot_score) and the score histogram that yields min_score.

/** DAMOS_MAX_SCORE: scores run from 0 to 99. */
export const MAX_SCORE = 99;
const MAX_SUBSCORE = 100;
const MAX_AGE_IN_LOG = 32;

export interface ScoreWeights {
  /** weight_nr_accesses (permil in sysfs; only ratios matter). */
  nrAccesses: number;
  age: number;
}

export interface ScoredRegionInput {
  nrAccesses: number;
  age: number;
}

/**
 * damon_hot_score: access frequency (0..100) and log2 of the age in seconds (negative for idle
 * regions, so old idle memory is colder) combined by weight, scaled to 0..99.
 */
export function hotScore(r: ScoredRegionInput, maxNrAccesses: number, aggregationIntervalUs: number, w: ScoreWeights): number {
  const freqSub = Math.trunc((r.nrAccesses * MAX_SUBSCORE) / Math.max(1, maxNrAccesses));
  let ageSec = Math.trunc((r.age * aggregationIntervalUs) / 1_000_000);
  let ageLog = 0;
  while (ageLog < MAX_AGE_IN_LOG && ageSec > 0) {
    ageLog += 1;
    ageSec = Math.floor(ageSec / 2);
  }
  if (freqSub === 0) ageLog = -ageLog;
  const ageSub = Math.trunc(Math.trunc(((ageLog + MAX_AGE_IN_LOG) * MAX_SUBSCORE) / MAX_AGE_IN_LOG) / 2);
  let hot = w.nrAccesses * freqSub + w.age * ageSub;
  if (w.nrAccesses + w.age > 0) hot = Math.trunc(hot / (w.nrAccesses + w.age));
  return Math.min(MAX_SCORE, Math.max(0, Math.trunc((hot * MAX_SCORE) / MAX_SUBSCORE)));
}

/**
 * min_score from the histogram of bytes per score: walking down from the highest score seen,
 * the score at which the cumulated bytes reach `esz` (or 0). Regions scoring below it are
 * not tried this window; ties at it may overshoot and are truncated by charging.
 */
export function minScore(bytesPerScore: readonly bigint[], esz: bigint): number {
  let max = 0;
  for (let s = 0; s <= MAX_SCORE; s++) if ((bytesPerScore[s] ?? 0n) > 0n) max = s;
  let cumulated = 0n;
  let score = max;
  for (;;) {
    cumulated += bytesPerScore[score] ?? 0n;
    if (cumulated >= esz || score === 0) return score;
    score -= 1;
  }
}

/** The histogram itself: bytes per score (index 0..99). */
export function scoreHistogram(regions: readonly { score: number; bytes: number }[]): bigint[] {
  const hist = new Array<bigint>(MAX_SCORE + 1).fill(0n);
  for (const r of regions) hist[r.score] = (hist[r.score] as bigint) + BigInt(r.bytes);
  return hist;
}
