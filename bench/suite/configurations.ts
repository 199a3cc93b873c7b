// The configurations every workload runs under, each in a fresh process. The THP mode is the
// system's (switched by the parent for the child, thp-sysfs.ts); the tuners run inside the
// child on the child's own memory, through this package's HugepageTuner.
import type { TunerOptions } from '../../lib/config/index.js';

export type ConfigName = '4k' | 'always' | 'glibc-hugetlb' | 'ethp' | 'tuner-default' | 'tuner-recommended';

export interface Configuration {
  name: ConfigName;
  /** One line for the page. */
  description: string;
  /** The system THP mode the child runs with: `always`, or whatever the machine has unless that is `always`. */
  thp: 'always' | 'not-always';
  env: Record<string, string>;
  tuner: TunerOptions | null;
}

/**
 * DAMON's "ethp" scheme, as the DAMOS patch series and its evaluation define it (also the
 * example in the kernel's DAMON admin guide of that time): MADV_HUGEPAGE on regions accessed in
 * at least 5% of samples; MADV_NOHUGEPAGE on regions of 2 MiB or more not accessed for 7 s.
 * DAMON's default monitoring (5 ms, 100 ms, 10 to 1000 regions), no quota and no goal, acting
 * from the first aggregation as the kernel does. The advice itself makes nothing huge in
 * memory already faulted in: khugepaged collapses advised ranges at its own pace.
 */
export const ETHP: TunerOptions = {
  warmupAggregations: 0,
  schemes: [
    { action: 'hugepage', pattern: { accessRate: { min: '5%' } }, quota: { time: 0, size: 0, goals: [] } },
    { action: 'nohugepage', pattern: { size: { min: '2M' }, accessRate: { max: 0 }, age: { min: '7s' } }, quota: { time: 0, size: 0, goals: [] } },
  ],
};

export function configurations(recommended: TunerOptions): Configuration[] {
  return [
    { name: '4k', description: '4 KiB pages only: no advice, no tuner (the baseline)', thp: 'not-always', env: {}, tuner: null },
    { name: 'always', description: 'THP=always: every fault in a 2 MiB-capable range gets a huge page', thp: 'always', env: {}, tuner: null },
    {
      name: 'glibc-hugetlb',
      description: 'GLIBC_TUNABLES=glibc.malloc.hugetlb=1: glibc advises MADV_HUGEPAGE on its mmap-ed chunks',
      thp: 'not-always',
      env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' },
      tuner: null,
    },
    { name: 'ethp', description: "DAMON's ethp rules (hugepage on >= 5% access, nohugepage after 7 s idle) through this package's scheme engine", thp: 'not-always', env: {}, tuner: ETHP },
    { name: 'tuner-default', description: "HugepageTuner with default options (the kernel RFC module's defaults)", thp: 'not-always', env: {}, tuner: {} },
    { name: 'tuner-recommended', description: "HugepageTuner with the documentation's recommended settings", thp: 'not-always', env: {}, tuner: recommended },
  ];
}

/** The configuration the targets judge: what users are told to run. */
export const JUDGED: ConfigName = 'tuner-recommended';
