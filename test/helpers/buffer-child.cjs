// For fixtures that need another process to act on: a Node child holding `megabytes` of
// touched anonymous memory in a Buffer (a mapping with whole aligned 2 MiB units), idle until
// killed; and the first whole unit of that Buffer's mapping, found through the package.
'use strict';
const { spawn } = require('node:child_process');
const { once } = require('node:events');

async function startBufferChild(megabytes) {
  const script = `const b = Buffer.alloc(${megabytes} << 20, 1); process.stdout.write('ready\\n'); setInterval(() => b[0]++, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  return child;
}

/** The first whole 2 MiB unit of the child's mapping of at least `megabytes` resident anonymous memory. */
async function firstUnitOf(thp, pid, megabytes) {
  const vma = (await thp.readSmaps(pid)).filter((v) => v.anonymous >= megabytes << 20)[0];
  return { address: (vma.start + 0x1fffffn) & ~0x1fffffn, length: 2 ** 21 };
}

module.exports = { startBufferChild, firstUnitOf };
