// Writes schema/tuner.schema.json, the JSON Schema of tuner configuration files, from the
// schema the tuner validates with (lib/config/options.ts). test/config/json-schema.test.ts
// fails when the committed file is out of date: run `npx vite-node tools/tuner-schema.ts`.
import { writeFileSync } from 'node:fs';
import { tunerJsonSchema } from '../lib/config/json-schema.js';

writeFileSync(new URL('../schema/tuner.schema.json', import.meta.url), tunerJsonSchema());
