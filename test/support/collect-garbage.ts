import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The collector, without restarting the test process under --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Runs a full garbage collection. */
export function collectGarbage(): void {
  gc();
}
