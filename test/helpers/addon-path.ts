// The compiled addon file the tests load, so child processes can load the same one.
import path from 'node:path';
import { existsSync } from 'node:fs';

export function addonPath(): string {
  const override = process.env.THP_AUTOTUNE_NATIVE;
  if (override) return path.resolve(override);
  const built = path.resolve(__dirname, '../../build/Release/thp_autotune.node');
  if (!existsSync(built)) throw new Error(`no addon at ${built}: run npx node-gyp rebuild`);
  return built;
}
