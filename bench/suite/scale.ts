// How long each part of a run takes at each scale. The full run is sized for about 30 minutes
// on a 2-vCPU VM (README of the suite: what dominates); the quick run checks that every
// workload and configuration works end to end, in a few minutes, and its numbers mean little.
import type { Timing } from './protocol.js';
import type { Scale } from './workload.js';

export interface ScaleSettings {
  rounds: number;
  /** Child processes at once: the quick run's numbers do not matter, so it uses both cores. */
  jobs: number;
  timing: Timing;
}

export const SCALES: Record<Scale, ScaleSettings> = {
  quick: {
    rounds: 1,
    jobs: 2,
    timing: {
      sliceMs: 5,
      warmupMs: 300,
      longWarmupMs: 300,
      measureMs: 700,
      convergeCapMs: 1500,
      stallMs: 500,
      firstProgressAggregations: 3,
      pollMs: 250,
      phase: { moves: 1, phaseMs: 1000 },
      recordMs: 6000,
    },
  },
  full: {
    rounds: 5,
    jobs: 1,
    timing: {
      sliceMs: 5,
      warmupMs: 1000,
      longWarmupMs: 6000,
      measureMs: 2500,
      convergeCapMs: 40_000,
      stallMs: 2000,
      firstProgressAggregations: 15,
      pollMs: 500,
      phase: { moves: 2, phaseMs: 6000 },
      recordMs: 30_000,
    },
  },
};
