// The JSON Schema published for tuner.yaml is the tuner's own schema, and what it accepts the
// tuner accepts: editors complete and check the same keys the tuner validates.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tunerJsonSchema } from '../../lib/config/json-schema.js';
import { parseTunerConfig } from '../../lib/index.js';
import { fixturePath } from '../helpers/fixtures.js';

const published = new URL('../../schema/tuner.schema.json', import.meta.url);

describe('tuner.schema.json', () => {
  it('is up to date with the schema the tuner validates with (npx vite-node tools/tuner-schema.ts)', () => {
    expect(readFileSync(published, 'utf8')).toBe(tunerJsonSchema());
  });

  it('is shipped in the package and names no type a file cannot hold', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[]; exports: Record<string, string> };
    expect(pkg.files).toContain('schema');
    expect(pkg.exports['./tuner.schema.json']).toBe('./schema/tuner.schema.json');
    expect(readFileSync(published, 'utf8')).not.toMatch(/bigint|AbortSignal/);
  });

  it('refuses what the tuner refuses at the top level: unknown keys', () => {
    const schema = JSON.parse(readFileSync(published, 'utf8')) as { additionalProperties: boolean; properties: Record<string, unknown> };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(['churnBackoff', 'churnBackoffMax', 'maxPtesNone', 'monitoring', 'pid', 'schemes', 'seed', 'source', 'warmupAggregations']);
    expect(() => parseTunerConfig(readFileSync(fixturePath('tuner/service.yaml'), 'utf8'), 'yaml')).not.toThrow();
  });
});
