/** Worker thread of bench/txgen.ts SignPool: signs a range of enrolment transactions. */
import { parentPort } from 'node:worker_threads';
import { admins, signEnrol, type Admin, type SignRequest } from './txgen.js';

const bySeed = new Map<string, Admin[]>();

parentPort?.on('message', (m: { id: number; req: SignRequest }) => {
  const { seed, chain, from, count, time } = m.req;
  let all = bySeed.get(seed);
  if (!all) {
    all = admins(seed);
    bySeed.set(seed, all);
  }
  const texts: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) texts[i] = signEnrol(all, chain, from + i, time).text;
  parentPort!.postMessage({ id: m.id, texts });
});
