// The run's tables on the terminal: the same tables as RESULTS.md, aligned as text.
import { formatTable } from '../../common/table.js';
import { formatThp } from '../machine.js';
import type { SuiteResults } from '../results.js';
import type { WorkloadSummary } from '../summary.js';
import type { TargetResult } from '../targets.js';
import { headlineTable, predictionTable, targetsTable, thpGainTable, workloadTable, type Table } from './tables.js';

const text = (t: Table) => formatTable(t.headers, t.rows);

export function consoleReport(r: SuiteResults, summaries: WorkloadSummary[], targets: TargetResult[]): string {
  const m = r.machine;
  return [
    `CPU ${m.cpuModel} (${m.cpus} CPUs), kernel ${m.kernel}, Node ${m.node}, glibc ${m.glibc ?? '?'}`,
    `THP: ${formatThp(m.thp)}; THP=always through ${r.alwaysMethod}`,
    `${r.command}: ${r.scale} scale, ${r.rounds} round(s), ${r.jobs ?? 1} process(es) at once, ${(r.durationS / 60).toFixed(1)} min; load average ${r.loadAverage.start.join(' ')} -> ${r.loadAverage.end.join(' ')}`,
    '',
    ...summaries.flatMap((s) => [`${s.workload.name}: ${s.workload.description ?? s.workload.title}`, text(workloadTable(s)), '']),
    "THP=always's own gain over 4 KiB pages, per round:",
    text(thpGainTable(summaries, r.rounds)),
    '',
    ...(summaries.some((s) => s.prediction) ? ['Advisor:', text(predictionTable(summaries)), ''] : []),
    'Headline (tuner-recommended against THP=always):',
    text(headlineTable(summaries)),
    '',
    'Targets:',
    text(targetsTable(targets)),
  ].join('\n');
}
