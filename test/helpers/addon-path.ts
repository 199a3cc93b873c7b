// The compiled addon file the tests load, so child processes can load the same one.
import path from 'node:path';
import { existsSync } from 'node:fs';

export function addonPath(): string {
  const override = process.env.THP_AUTOTUNE_NATIVE;
  if (override) return path.resolve(override);
  // node-gyp names it after the target; `npm run build` (prebuildify) leaves it named after the package.
  const candidates = ['thp_autotune.node', 'thp-autotune.node'].map((f) => path.resolve(__dirname, '../../build/Release', f));
  const built = candidates.find((c) => existsSync(c));
  if (built === undefined) throw new Error(`no addon at ${candidates[0]}: run npx node-gyp rebuild`);
  return built;
}
