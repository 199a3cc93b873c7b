// The compiled addon file the tests load, so child processes can load the same one.
import path from 'node:path';
import { existsSync } from 'node:fs';

export function addonPath(): string {
  const override = process.env.THP_AUTOTUNE_NATIVE;
  if (override) return path.resolve(override);
  // node-gyp leaves it in build/Release; `npm run build` (prebuildify) moves it to prebuilds/.
  const candidates = [
    path.resolve(__dirname, '../../build/Release/thp_autotune.node'),
    path.resolve(__dirname, `../../prebuilds/${process.platform}-${process.arch}/thp-autotune.node`),
  ];
  const built = candidates.find((c) => existsSync(c));
  if (built === undefined) throw new Error(`no addon at ${candidates[0]}: run npx node-gyp rebuild`);
  return built;
}
