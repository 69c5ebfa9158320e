import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Runs a full garbage collection (twice, so objects freed by finalizers go too). */
export function fullGc(): void {
  collect();
  collect();
}

/** Heap plus memory outside it held by JS objects (buffers of streams): what a stream costs the app. */
export function jsMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}
