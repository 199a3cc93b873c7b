// The table of bench/tuner-edge/ab.sh's output: per run, when the read-hot units went huge and
// how many cold units went huge with them (the farthest, in units from the hot part).
'use strict';
const fs = require('node:fs');

const HOT_FIRST = 256;
const HOT_LAST = 383;
const distance = (u) => (u < HOT_FIRST ? HOT_FIRST - u : u - HOT_LAST);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const file of process.argv.slice(2)) {
  const runs = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  console.log(`${file}\n`);
  console.log('| round | build | hot 95% huge, ms | all hot huge, ms | collapsed | cold units huge | farthest | seen unused | waited for a window |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const byBuild = new Map();
  for (const { round, variant, out } of runs) {
    const cold = out.hugeUnits.filter((u) => u < HOT_FIRST || u > HOT_LAST);
    const row = { hot95: out.hot95AtMs, cold: cold.length, far: Math.max(0, ...cold.map(distance)) };
    byBuild.set(variant, [...(byBuild.get(variant) ?? []), row]);
    console.log(
      `| ${round} | ${variant} | ${out.hot95AtMs} | ${out.hotHugeAtMs} | ${out.units.collapsed} | ${row.cold} | ${row.far} | ${out.units['skipped-cold']} | ${out.units['skipped-unprobed']} |`,
    );
  }
  console.log('\n| build | runs | cold units huge, median [all] | farthest, median | hot 95% huge, median ms [all] |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, rows] of byBuild) {
    const cold = rows.map((r) => r.cold);
    const hot95 = rows.map((r) => r.hot95);
    console.log(`| ${name} | ${rows.length} | ${median(cold)} [${cold.join(', ')}] | ${median(rows.map((r) => r.far))} | ${median(hot95)} [${hot95.join(', ')}] |`);
  }
  console.log('');
}
