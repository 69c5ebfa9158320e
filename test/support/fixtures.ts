import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Recorded fixtures kept in the repository (origin and license: test/fixtures/README.md). */
export type FixtureSource = 'codex' | 'openai-responses';

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixturePath(source: FixtureSource, name: string): string {
  return join(fixturesDir, source, name);
}

export function readFixture(source: FixtureSource, name: string): string {
  return readFileSync(fixturePath(source, name), 'utf8');
}

/** Names of the recorded Responses streams (`*.chunks.txt`, one JSON event per line), sorted. */
export function recordedStreamFiles(): string[] {
  return readdirSync(join(fixturesDir, 'openai-responses'))
    .filter(name => name.endsWith('.chunks.txt'))
    .sort();
}
