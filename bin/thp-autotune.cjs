#!/usr/bin/env node
// Thin launcher so `npx thp-autotune` works from the CommonJS build on any Node >= 20.
'use strict';
require('../dist/cli.cjs')
  .main(process.argv)
  .catch((err) => {
    process.stderr.write(`thp-autotune: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 1;
  });
