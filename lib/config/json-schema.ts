// The published JSON Schema of tuner configuration files (schema/tuner.schema.json), for
// editors: `# yaml-language-server: $schema=./node_modules/thp-autotune/schema/tuner.schema.json`.
import { toJsonSchema } from '../validation/validate.js';
import { TunerConfigSchema } from './options.js';

/** The file's text: draft-07 JSON Schema, two-space indented. */
export function tunerJsonSchema(): string {
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...(toJsonSchema(TunerConfigSchema) as object) };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
