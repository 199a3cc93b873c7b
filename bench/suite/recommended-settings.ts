// The tuner settings the documentation recommends, read from the documentation itself: the
// first YAML block under a heading that names the recommended settings, in README.md or else
// in docs/. Reading them, rather than keeping a copy here, means the suite measures what users
// are told to run, and a change to the recommendation changes the benchmark with it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTunerConfig, type TunerOptions } from '../../lib/config/index.js';

export interface RecommendedSettings {
  options: TunerOptions;
  /** Where they were found: file and heading. */
  source: string;
}

const HEADING = /^#{2,6}\s+(.*recommended settings.*)$/im;

/** The YAML block under the recommended-settings heading of a Markdown text, with the heading. */
export function recommendedBlock(markdown: string): { heading: string; yaml: string } | null {
  const heading = HEADING.exec(markdown);
  if (!heading) return null;
  const after = markdown.slice(heading.index + heading[0].length);
  const block = /^```ya?ml\n([\s\S]*?)^```/m.exec(after);
  // The block must belong to this section: no other heading of the same or a higher level before it.
  if (!block || /^#{1,6}\s/m.test(after.slice(0, block.index))) return null;
  return { heading: heading[1]!.trim(), yaml: block[1]! };
}

export function loadRecommendedSettings(root: string): RecommendedSettings {
  const docs = path.join(root, 'docs');
  const candidates = [
    path.join(root, 'README.md'),
    ...(existsSync(docs)
      ? readdirSync(docs)
          .filter((f) => f.endsWith('.md'))
          .sort()
          .map((f) => path.join(docs, f))
      : []),
  ];
  for (const file of candidates) {
    const found = recommendedBlock(readFileSync(file, 'utf8'));
    if (found) return { options: parseTunerConfig(found.yaml, 'yaml'), source: `${path.relative(root, file)}, "${found.heading}"` };
  }
  throw new Error(`no YAML block under a "Recommended settings" heading in ${candidates.map((c) => path.relative(root, c)).join(', ')}: the tuner-recommended configuration has nothing to run`);
}
