// The built CommonJS entry of the package, for child processes that use the public API.
// `npm test` builds it first; a stale or missing build fails loudly here.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const distEntry = path.resolve(__dirname, '../../dist/index.cjs');
if (!existsSync(distEntry)) throw new Error(`no build at ${distEntry}: run npm run build:ts`);
