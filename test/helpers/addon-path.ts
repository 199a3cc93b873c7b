// The compiled addon file the tests load, found the way lib/native/binding.ts finds it
// (THP_AUTOTUNE_NATIVE, else node-gyp-build: build/Release or prebuilds/), so child
// processes can load the same one.
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export function addonPath(): string {
  const override = process.env['THP_AUTOTUNE_NATIVE'];
  if (override) return path.resolve(override);
  const nodeGypBuild = createRequire(path.join(root, 'package.json'))('node-gyp-build') as { path(dir: string): string };
  return nodeGypBuild.path(root);
}
