// A process that ends by itself while monitors and a tuner are delivering snapshots. Node runs
// their pending ThreadSafeFunction messages in its exit cleanup, when JS can no longer run;
// converting a snapshot then fails, and that failure must be dropped, not thrown out of node.
// Found by test/sanitize/lifecycle.mjs --end-running (TSan and ASan builds alike): the process
// aborted with "terminate called after throwing an instance of 'Napi::Error'".
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distEntry } from '../helpers/dist-entry.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';

const unavailable = pagemapUnavailable();
if (unavailable) console.log(`end-while-running test skipped (it runs a tuner on real memory): ${unavailable}`);

describe.skipIf(unavailable !== null)('a process that ends while monitors and a tuner run', () => {
  it('exits with status 0 and nothing on stderr, every time', () => {
    expect(distEntry).toMatch(/index\.cjs$/); // lifecycle.mjs loads the built entry
    for (let run = 0; run < 3; run++) {
      const r = spawnSync(process.execPath, [path.join(__dirname, 'lifecycle.mjs'), '--end-running'], { encoding: 'utf8', timeout: 30_000 });
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
    }
  });
});
