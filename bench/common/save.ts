// Saves a benchmark's printed table and raw figures under bench/results/<name>-<date>[-<suffix>].{txt,json}
// (a suffix keeps several runs of one day apart).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function saveResults(name: string, text: string, data: unknown, suffix = ''): void {
  const outDir = path.resolve(__dirname, '../results');
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10) + (suffix ? `-${suffix}` : '');
  writeFileSync(path.join(outDir, `${name}-${stamp}.txt`), text + '\n');
  writeFileSync(path.join(outDir, `${name}-${stamp}.json`), JSON.stringify(data, null, 2) + '\n');
}
