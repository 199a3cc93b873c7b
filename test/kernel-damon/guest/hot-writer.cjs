// The monitored process inside the guest: a 256 MiB allocAligned buffer, every 4 KiB page
// touched once (4 KiB pages: THP is madvise and nothing asks for huge pages), then 32 MiB of
// it (units 64..79) written continuously, one word per page per pass. Prints its layout as
// one JSON line once the cold part is populated, and writes until killed.
'use strict';
const thp = require('/pkg');

const UNIT = 2 ** 21;
const SIZE = 256 * 2 ** 20;
const HOT_FIRST = 64;
const HOT_UNITS = 16;

const buffer = thp.allocAligned(SIZE);
const u32 = new Uint32Array(buffer);
for (let word = 0; word < u32.length; word += 1024) u32[word] = 1;
process.stdout.write(`${JSON.stringify({ base: Number(thp.addressOf(buffer)), size: SIZE, hotFirst: HOT_FIRST, hotUnits: HOT_UNITS })}\n`);
const from = (HOT_FIRST * UNIT) / 4;
const to = ((HOT_FIRST + HOT_UNITS) * UNIT) / 4;
// One more line after a second of writing: passes per second (the sampling interval must be
// long enough that a hot page is written within most samples).
const t0 = performance.now();
let reported = false;
for (let pass = 2; ; pass++) {
  for (let word = from; word < to; word += 1024) u32[word] = pass;
  if (!reported && performance.now() - t0 >= 1000) {
    process.stdout.write(`${JSON.stringify({ passesPerSecond: Math.round((pass - 1) / ((performance.now() - t0) / 1000)) })}\n`);
    reported = true;
  }
}
