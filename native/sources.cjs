#!/usr/bin/env node
// The one list of native sources, derived from where files live, so adding a file never
// means editing a list (and parallel branches never conflict over one):
//   portable     native/core/**, native/addon/* (not native/addon/linux/)   every OS
//   linux        native/platform/linux/**, native/addon/linux/**           Linux only
//   unsupported  native/platform/unsupported/**                            every other OS
// and for each access source in native/sources/<name>/: its top folder is portable, its
// linux/ folder Linux only, its unsupported/ folder every other OS.
// binding.gyp and CMakeLists.txt both call `node native/sources.cjs <group>`.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const sourceDirs = fs.existsSync(path.join(root, 'native/sources'))
  ? fs
      .readdirSync(path.join(root, 'native/sources'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `native/sources/${entry.name}`)
      .sort()
  : [];
const groups = {
  portable: ['native/core', 'native/addon', ...sourceDirs],
  linux: ['native/platform/linux', 'native/addon/linux', ...sourceDirs.map((d) => `${d}/linux`)],
  unsupported: ['native/platform/unsupported', ...sourceDirs.map((d) => `${d}/unsupported`)],
};
// Folders that belong to another group than their parent's.
const claimedElsewhere = new Set(['native/addon/linux', ...sourceDirs.flatMap((d) => [`${d}/linux`, `${d}/unsupported`])]);

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
