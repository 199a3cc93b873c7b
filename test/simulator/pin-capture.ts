// Regenerates test/fixtures/simulator/pinned-counters.json from the current simulator, for a
// deliberate semantic change only:  npx vite-node test/simulator/pin-capture.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runScenario, scenarios } from './pinned-scenarios.js';

const out = Object.fromEntries(scenarios.map((s) => [s.name, runScenario(s)]));
writeFileSync(path.resolve(__dirname, '../fixtures/simulator/pinned-counters.json'), JSON.stringify(out, null, 1) + '\n');
