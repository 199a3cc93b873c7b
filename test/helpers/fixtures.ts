import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The text of a recorded sample under test/fixtures/procfs. */
export function procfsFixture(name: string): string {
  return readFileSync(path.join(__dirname, '../fixtures/procfs', name), 'utf8');
}

/** The path of a file under test/fixtures. */
export function fixturePath(name: string): string {
  return path.join(__dirname, '../fixtures', name);
}
