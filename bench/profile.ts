/**
 * `npm run bench:profile -- <workload> [contender] [passes]`: runs one contender over one workload of
 * benchmark 1 again and again under `node --cpu-prof`, so that its hot path shows in the profile written
 * to `bench/profiles/`. `<workload>` is any part of a workload's name (`long`, `parallel`, `custom-tool`);
 * the contender is a, b, c, d or e (default a). `npm run bench:profile -- proxy [requests]` profiles the proxy of
 * benchmark 5 instead (see `profile-proxy.ts`).
 */
import { CONTENDER_IDS, type ContenderId, createContenders } from './contenders';
import { memoryEndpoint } from './memory-endpoint';
import { profileProxy } from './profile-proxy';
import { fixtureWorkloads, longAnswer, reasoningAndToolCalls } from './workloads';

async function profileMapping(name: string, id: string, passArgument: string | undefined): Promise<void> {
  const workload = [longAnswer(), reasoningAndToolCalls(), ...fixtureWorkloads()].find(candidate =>
    candidate.name.includes(name),
  );
  if (workload == null) throw new Error(`No workload named like "${name}".`);
  if (!CONTENDER_IDS.includes(id as ContenderId)) {
    throw new Error(`The contender is one of ${CONTENDER_IDS.join(', ')}, not "${id}".`);
  }

  const endpoint = memoryEndpoint();
  const consume = createContenders(endpoint)[id as ContenderId];
  // About 3 s of work whatever the workload, unless told.
  const passes = Number(passArgument ?? Math.max(10, Math.round(3e6 / (workload.events * 20 + 300))));

  const start = process.cpuUsage();
  for (let pass = 0; pass < passes; pass++) {
    for (const response of workload.responses) {
      endpoint.serve(response);
      await consume();
    }
  }
  const used = process.cpuUsage(start);
  process.stdout.write(
    `${workload.name}, contender ${id}: ${passes} passes, ${((used.user + used.system) / passes).toFixed(0)} µs of CPU per pass\n`,
  );
}

const [name = 'long', ...rest] = process.argv.slice(2);
if (name === 'proxy') await profileProxy(Number(rest[0] ?? 3000));
else await profileMapping(name, rest[0] ?? 'a', rest[1]);
