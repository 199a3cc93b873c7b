#!/usr/bin/env node
// The one list of native sources, derived from where files live, so adding a file never
// means editing a list (and parallel branches never conflict over one):
//   portable     native/core/**, native/sources/**, native/addon/**       every OS
//   linux        native/platform/linux/**, and every `linux/` folder        Linux only
//                under native/sources/ or native/addon/
//   unsupported  native/platform/unsupported/**, and every `unsupported/`   every other OS
//                folder under native/sources/
// An access source (native/sources/<name>/) thus keeps its portable files at the top of its
// folder, its Linux implementation in linux/ and the other systems' answer in unsupported/,
// and a new source needs no entry anywhere. binding.gyp and CMakeLists.txt both call
// `node native/sources.cjs <group>`.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const groups = {
  portable: ['native/core', 'native/sources', 'native/addon'],
  linux: ['native/platform/linux'],
  unsupported: ['native/platform/unsupported'],
};
// Under these trees a folder named after an OS group belongs to that group, at any depth.
const osFoldersUnder = ['native/sources', 'native/addon'];
const osGroups = new Set(['linux', 'unsupported']);

function isOsFolder(rel) {
  return osGroups.has(path.posix.basename(rel)) && osFoldersUnder.some((top) => rel.startsWith(`${top}/`));
}

// Files under `dir`; `skipOsFolders` leaves out the OS folders (they belong to their group).
function sourcesUnder(dir, skipOsFolders) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return skipOsFolders && isOsFolder(rel) ? [] : sourcesUnder(rel, skipOsFolders);
      return entry.name.endsWith('.cc') ? [rel] : [];
    });
}

// The `group` folders found under the trees that hold OS folders.
function osFolders(group, dir = null) {
  if (dir === null) return osFoldersUnder.flatMap((top) => osFolders(group, top));
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const rel = `${dir}/${entry.name}`;
      if (isOsFolder(rel)) return path.posix.basename(rel) === group ? [rel] : [];
      return osFolders(group, rel);
    });
}

function sources(group) {
  if (!groups[group]) throw new Error(`unknown source group ${group}; one of ${Object.keys(groups).join(', ')}`);
  const skipOsFolders = group === 'portable';
  const dirs = [...groups[group], ...(osGroups.has(group) ? osFolders(group) : [])];
  return dirs.flatMap((dir) => sourcesUnder(dir, skipOsFolders));
}

module.exports = { sources, groups: Object.keys(groups) };

if (require.main === module) {
  const list = sources(process.argv[2]);
  // CMake reads a ';'-separated list; gyp splits its command output on whitespace.
  process.stdout.write(process.argv[3] === '--cmake' ? list.join(';') : list.join(' '));
}
