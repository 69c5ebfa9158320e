import { readFile } from 'node:fs/promises';
import type { ScriptedSse, StreamControls } from './scripting';

/**
 * Turns a recorded `*.chunks.txt` file (one JSON event per line) into the SSE byte chunks the emulator
 * writes: each line becomes `data: <line>\n\n`, unchanged.
 */
export function sseChunksFromLines(text: string): string[] {
  return text
    .split('\n')
    .filter(line => line.length > 0)
    .map(line => `data: ${line}\n\n`);
}

/** A scripted answer that replays a recorded chunks file byte for byte. */
export async function replayFixture(path: string, controls: StreamControls = {}): Promise<ScriptedSse> {
  return { type: 'sse', chunks: sseChunksFromLines(await readFile(path, 'utf8')), ...controls };
}
