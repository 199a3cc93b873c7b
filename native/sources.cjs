#!/usr/bin/env node
// The one list of native sources, derived from where files live, so adding a file never
// means editing a list (and parallel branches never conflict over one):
//   portable     native/core/**, native/addon/* (not native/addon/linux/)   every OS
//   linux        native/platform/linux/**, native/addon/linux/**           Linux only
//   unsupported  native/platform/unsupported/**                            every other OS
// binding.gyp and CMakeLists.txt both call `node native/sources.cjs <group>`.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const groups = {
  portable: ['native/core', 'native/addon'],
  linux: ['native/platform/linux', 'native/addon/linux'],
  unsupported: ['native/platform/unsupported'],
};
// Folders that belong to another group than their parent's.
const claimedElsewhere = new Set(['native/addon/linux']);

function sourcesUnder(dir, top) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return rel !== top && claimedElsewhere.has(rel) ? [] : sourcesUnder(rel, top);
      return entry.name.endsWith('.cc') ? [rel] : [];
    });
}

function sources(group) {
  if (!groups[group]) throw new Error(`unknown source group ${group}; one of ${Object.keys(groups).join(', ')}`);
  return groups[group].flatMap((dir) => sourcesUnder(dir, dir));
}

module.exports = { sources, groups: Object.keys(groups) };

if (require.main === module) {
  const list = sources(process.argv[2]);
  // CMake reads a ';'-separated list; gyp splits its command output on whitespace.
  process.stdout.write(process.argv[3] === '--cmake' ? list.join(';') : list.join(' '));
}
