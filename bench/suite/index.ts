// The benchmark suite: every headline workload under every configuration, in fresh processes,
// rounds interleaved; results to bench/results/<date>-<cpu>-<kernel>.json, bench/RESULTS.md and
// the README's results block (bench/suite/README.md).
//
//   npm run bench                        full run (about 30 minutes on a 2-vCPU VM)
//   npm run bench -- --quick             a few minutes: checks that everything works (CI); writes under the temp folder
//   npm run bench -- --report-only bench/results/<file>.json   regenerate the pages from a results file
//   options: --rounds N, --only <workload,...>, --configs <config,...> (4k and always always run), --out <folder>,
//            --jobs N (processes at once; 2 for --quick, 1 otherwise: two would share the cores they are measured on)
import path from 'node:path';
import { parseArgs } from 'node:util';
import { outputRoot, readResults, writePages, writeResults } from './output.js';
import { consoleReport } from './report/console.js';
import { runSuite } from './runner.js';
import { SCALES } from './scale.js';
import { summarize } from './summary.js';
import { checkTargets } from './targets.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const { values } = parseArgs({
  args: argv,
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    jobs: { type: 'string' },
    only: { type: 'string' },
    configs: { type: 'string' },
    'report-only': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write('npm run bench [-- --quick] [--rounds N] [--jobs N] [--only w1,w2] [--configs c1,c2] [--out DIR] | [-- --report-only RESULTS.json]\n');
  process.exit(0);
}

function printWritten(w: { json: string | null; page: string; svg: string; readme: string }): void {
  for (const [what, file] of [
    ['results', w.json],
    ['page', w.page],
    ['plot', w.svg],
    ['README block', w.readme],
  ] as const) {
    if (file) process.stdout.write(`${what}: ${path.relative(process.cwd(), file)}\n`);
  }
}

if (values['report-only']) {
  const file = path.resolve(values['report-only']);
  const results = readResults(file);
  const summaries = summarize(results);
  process.stdout.write(`${consoleReport(results, summaries, checkTargets(summaries))}\n\n`);
  printWritten(writePages(results, file, values.out ? path.resolve(values.out) : path.dirname(path.dirname(file))));
} else {
  const scale = values.quick ? 'quick' : 'full';
  const rounds = values.rounds ? Number(values.rounds) : SCALES[scale].rounds;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds ${values.rounds}: a whole number of at least 1`);
  const jobs = values.jobs ? Number(values.jobs) : SCALES[scale].jobs;
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs ${values.jobs}: a whole number of at least 1`);
  const root = outputRoot(scale, values.out);
  const command = process.env['npm_lifecycle_event'] === 'bench' ? `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}` : `npx vite-node bench/suite/index.ts ${argv.join(' ')}`.trim();
  const { results, failures } = await runSuite({
    scale,
    rounds,
    only: values.only ? values.only.split(',') : null,
    configs: values.configs ? values.configs.split(',') : null,
    command,
    jobs,
    // The results file is rewritten after every process: an interrupted run keeps what it
    // measured, and --report-only makes pages of it.
    checkpoint: (partial) => writeResults(partial, root),
  });
  const file = writeResults(results, root);
  const summaries = summarize(results);
  process.stdout.write(`${consoleReport(results, summaries, checkTargets(summaries))}\n\n`);
  printWritten(writePages(results, file, root));
  if (failures > 0) {
    process.stderr.write(`${failures} run(s) failed: see the page\n`);
    process.exitCode = 1;
  }
}
