// Where the suite's workloads come from: the built-in ones in a fixed order (the numbering of
// the page), then every module in workloads/third-party/ (each .ts file there whose name does
// not start with '_'; helpers belong in subfolders or in '_' files). A module's default export
// is a Workload or an array of them; anything else is an error, not a skipped file, so that a
// broken workload fails the smoke test instead of vanishing from the page.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isWorkload, type Workload } from './workload.js';

const WORKLOADS = path.join(__dirname, 'workloads');
export const THIRD_PARTY = path.join(WORKLOADS, 'third-party');
const BUILT_IN = ['random-reads.ts', 'hot-cold.ts', 'sparse.ts', 'v8-heap.ts', 'phase-change.ts'];

export interface WorkloadModule {
  file: string;
  thirdParty: boolean;
}

export function workloadModules(): WorkloadModule[] {
  const builtIn = BUILT_IN.map((f) => ({ file: path.join(WORKLOADS, f), thirdParty: false }));
  const thirdParty = existsSync(THIRD_PARTY)
    ? readdirSync(THIRD_PARTY, { withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts') && !e.name.startsWith('_'))
        .map((e) => ({ file: path.join(THIRD_PARTY, e.name), thirdParty: true }))
        .sort((a, b) => a.file.localeCompare(b.file))
    : [];
  return [...builtIn, ...thirdParty];
}

export async function loadModule(file: string): Promise<Workload[]> {
  const exported: unknown = (await import(pathToFileURL(file).href)).default;
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0 || !list.every(isWorkload)) {
    throw new Error(
      `${path.relative(process.cwd(), file)}: the default export must be a Workload or an array of them (bench/suite/workload.ts: name in kebab-case, title, unit, tunerCanHelp, setup, run)`,
    );
  }
  return list;
}

export interface LoadedWorkload {
  workload: Workload;
  file: string;
  thirdParty: boolean;
}

/** Every workload, checked for unique names. */
export async function loadWorkloads(): Promise<LoadedWorkload[]> {
  const out: LoadedWorkload[] = [];
  for (const m of workloadModules()) {
    for (const workload of await loadModule(m.file)) {
      const clash = out.find((o) => o.workload.name === workload.name);
      if (clash) throw new Error(`two workloads are named '${workload.name}': ${clash.file} and ${m.file}`);
      out.push({ workload, file: m.file, thirdParty: m.thirdParty });
    }
  }
  return out;
}

/** The workload of a module by name (in a child). */
export async function findWorkload(file: string, name: string): Promise<Workload> {
  const found = (await loadModule(file)).find((w) => w.name === name);
  if (!found) throw new Error(`${file} has no workload named '${name}'`);
  return found;
}
