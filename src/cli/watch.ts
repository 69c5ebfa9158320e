import { delay } from '@ai-sdk/provider-utils';
import { CliError, EXIT_CODES } from './cli-error';
import { print, style } from './terminal';

export const DEFAULT_WATCH_SECONDS = 5;

// Cursor to the top left, then clear the screen: the next frame replaces the last one.
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

/** The interval of `--watch [seconds]`: the default when given bare. */
export function parseWatchInterval(value: boolean | string | number): number {
  if (value === true || value === '') return DEFAULT_WATCH_SECONDS;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new CliError(`--watch takes a number of seconds of at least 1, not "${value}".`, EXIT_CODES.usage);
  }
  return seconds;
}

/**
 * Reads and renders again every `intervalSeconds` until `abortSignal` (Ctrl-C) ends it. On a terminal each
 * frame replaces the last, drawn only once its data is read so that the screen never goes blank; elsewhere
 * (a pipe, a log) frames follow one another.
 */
export async function watch<T>({
  read,
  render,
  intervalSeconds,
  abortSignal,
  stdout = process.stdout,
}: {
  read: () => Promise<T>;
  render: (value: T) => void;
  intervalSeconds: number;
  abortSignal: AbortSignal;
  stdout?: NodeJS.WriteStream;
}): Promise<void> {
  try {
    for (let frame = 0; ; frame += 1) {
      const value = await read();
      if (stdout.isTTY) stdout.write(CLEAR_SCREEN);
      else if (frame > 0) print();
      render(value);
      print(
        style(
          'gray',
          `Updated ${new Date().toLocaleTimeString()}, every ${intervalSeconds}s. Ctrl-C to stop.`,
        ),
      );
      await delay(intervalSeconds * 1000, { abortSignal });
    }
  } catch (error) {
    // Ctrl-C is how a watch ends.
    if (abortSignal.aborted) return;
    throw error;
  }
}
