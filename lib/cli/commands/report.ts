// `thp-autotune report access|heatmap|wss|huge FILE`: a recording as text tables, a heatmap
// (SVG, PNG, terminal) or JSON.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../errors.js';
import { readRecording } from '../../record/reader.js';
import { accessReport, formatAccessReport, formatHugeReport, formatWssReport, heatGrid, heatmapSvg, hugeReport, svgToPng, terminalHeatmap, wssReport } from '../../report/index.js';
import { toJson } from '../style/output.js';
import { integerFlag, shareFlag } from './flags.js';

const KINDS = ['access', 'heatmap', 'wss', 'huge'] as const;

interface ReportFlags {
  json?: boolean;
  snapshot: string;
  top: string;
  columns?: string;
  rows?: string;
  out?: string;
  png?: string;
  hotRate: string;
  minRate: string;
}

function print(json: boolean | undefined, value: unknown, text: () => string): void {
  // Addresses (bigints) as decimal strings, as every --json output writes them (docs/cli.md).
  process.stdout.write(json ? `${toJson(value)}\n` : `${text()}\n`);
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('Show a recording: access (regions and percentiles), heatmap (SVG, PNG, terminal), wss (working-set size), huge (huge-page coverage)')
    .argument('<kind>', KINDS.join(', '))
    .argument('<file>', 'a recording from thp-autotune record')
    .option('--json', 'print the report as JSON')
    .option('--snapshot <index>', 'access: which snapshot (negative counts from the end)', '-1')
    .option('--top <n>', 'access: how many of the hottest regions to list', '10')
    .option('--columns <n>', 'heatmap: cells across (default 80 in a terminal, 200 in an image)')
    .option('--rows <n>', 'heatmap: cells down, time buckets (default 20 in a terminal, 100 in an image)')
    .option('--out <file.svg>', 'heatmap: write an SVG')
    .option('--png <file.png>', 'heatmap: write a PNG')
    .option('--hot-rate <share>', "huge: the access rate that makes a 2 MiB unit hot ('5%' or 0.05)", '5%')
    .option('--min-rate <share>', 'wss: the access rate a region needs to count (default: any access)', '0')
    .addHelpText(
      'after',
      '\nExamples:\n  thp-autotune report access app.jsonl.gz\n  thp-autotune report heatmap app.jsonl.gz --out heat.svg --png heat.png\n  thp-autotune report wss app.jsonl.gz --json',
    )
    .action(async (kind: string, file: string, flags: ReportFlags) => {
      if (!(KINDS as readonly string[]).includes(kind)) throw new InvalidArgumentError('kind', `one of ${KINDS.join(', ')}`, kind);
      const recording = await readRecording(file);
      if (kind === 'access') {
        const r = accessReport(recording, { snapshot: integerFlag('--snapshot', flags.snapshot, -1e9, 1e9), top: integerFlag('--top', flags.top, 1, 100_000) });
        print(flags.json, r, () => formatAccessReport(r));
      } else if (kind === 'wss') {
        const r = wssReport(recording, { minRate: shareFlag('--min-rate', flags.minRate) });
        print(flags.json, r, () => formatWssReport(r));
      } else if (kind === 'huge') {
        const r = hugeReport(recording, { hotRate: shareFlag('--hot-rate', flags.hotRate) });
        print(flags.json, r, () => formatHugeReport(r));
      } else {
        const image = flags.out !== undefined || flags.png !== undefined;
        const grid = heatGrid(recording, {
          columns: flags.columns === undefined ? (image ? 200 : 80) : integerFlag('--columns', flags.columns, 1, 4096),
          rows: flags.rows === undefined ? (image ? 100 : 20) : integerFlag('--rows', flags.rows, 1, 4096),
        });
        const title = `pid ${recording.header.pid}${recording.header.command ? ` (${recording.header.command.join(' ')})` : ''}: ${recording.header.signal === 'write' ? 'writes' : 'accesses'} over time`;
        const svg = heatmapSvg(grid, { title });
        if (flags.out !== undefined) await writeFile(flags.out, svg);
        if (flags.png !== undefined) await writeFile(flags.png, svgToPng(svg).png);
        if (flags.json) print(true, grid, () => '');
        else if (!image || process.stdout.isTTY) print(false, null, () => terminalHeatmap(grid, { colour: process.stdout.isTTY === true && !process.env['NO_COLOR'] }));
      }
    });
}
