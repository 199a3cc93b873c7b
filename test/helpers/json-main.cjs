// The fixtures' half of json-child.ts: runs a child's async main and prints what it resolves
// with as one JSON line, or { fatal: <stack> } (exit code 1) when it throws.
'use strict';

/** The typed error a promise rejects with, as plain JSON fields; null when it resolves. */
function errorOf(promise) {
  return promise.then(
    () => null,
    (e) => ({ name: e.name, code: e.code, syscall: e.syscall, pid: e.pid, message: e.message }),
  );
}

function jsonMain(main) {
  main().then(
    (result) => {
      if (result !== undefined) process.stdout.write(JSON.stringify(result) + '\n');
    },
    (e) => {
      process.stdout.write(JSON.stringify({ fatal: String(e && e.stack) }) + '\n');
      process.exitCode = 1;
    },
  );
}

module.exports = { jsonMain, errorOf };
