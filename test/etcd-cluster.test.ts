/**
 * The etcd launcher that the cluster tests, `cluster demo` and the benchmarks use (tools/etcd.ts),
 * exercised for real: three etcd members on loopback, concurrent 50 KB puts from a client on each
 * endpoint read back as one range in revision order, kill -9 of the leader while writes go on
 * through the other two, its restart on its own data directory and its catch-up, and a clean stop.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { Etcd3, type IKeyValue } from 'etcd3';
import { isAidError } from '../src/core/errors.js';
import {
  etcdClient,
  GRPC_MAX_RECEIVE_BYTES,
  startEtcdCluster,
  type EtcdCluster,
  type EtcdMember,
} from '../tools/etcd.js';

const PREFIX = '/aidledger-test/values/';
const VALUE_BYTES = 50 * 1024;
const FIRST = 200;
const DURING_OUTAGE = 60;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function keyOf(i: number): string {
  return `${PREFIX}${String(i).padStart(6, '0')}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Puts `values` round-robin over `clients`, all at once; the revision each put was given. */
async function putAll(clients: Etcd3[], values: Map<string, Buffer>): Promise<Map<string, bigint>> {
  const entries = [...values];
  const revs = await Promise.all(
    entries.map(async ([key, value], i) => {
      const res = await clients[i % clients.length]!.put(key).value(value).exec();
      return BigInt(res.header.revision);
    }),
  );
  return new Map(entries.map(([key], i) => [key, revs[i]!]));
}

/** Every value under PREFIX as one range read sorted by modification revision. */
async function readAll(client: Etcd3, serializable = false) {
  return client.getAll().prefix(PREFIX).sort('Mod', 'Ascend').serializable(serializable).exec();
}

/** Revisions strictly increasing (so unique), each value and revision what the puts reported. */
function checkRange(
  kvs: IKeyValue[],
  values: Map<string, Buffer>,
  putRevisions: Map<string, bigint>,
): void {
  assert.equal(kvs.length, values.size, 'one entry per key written');
  let previous = 0n;
  for (const kv of kvs) {
    const key = kv.key.toString();
    const rev = BigInt(kv.mod_revision);
    assert.ok(rev > previous, `revision ${rev} of ${key} after ${previous}`);
    previous = rev;
    assert.ok(values.get(key)?.equals(kv.value), `value of ${key} read back as written`);
    assert.equal(rev, putRevisions.get(key), `revision of ${key} is the one its put returned`);
  }
}

void describe('etcd test cluster: a real 3-member etcd on loopback', () => {
  let cluster: EtcdCluster | undefined;
  const clients: Etcd3[] = [];
  const values = new Map<string, Buffer>();
  const putRevisions = new Map<string, bigint>();

  after(async () => {
    for (const c of clients) c.close();
    await cluster?.stop();
  });

  void it('starts three healthy members on distinct loopback ports, none of them 2379/2380', async () => {
    cluster = await startEtcdCluster();
    assert.equal(cluster.members.length, 3);
    assert.deepEqual(
      cluster.endpoints,
      cluster.members.map((m) => m.clientUrl),
    );
    const urls = cluster.members.flatMap((m) => [m.clientUrl, m.peerUrl]);
    assert.equal(new Set(urls).size, 6, 'six distinct URLs');
    for (const url of urls) {
      const u = new URL(url);
      assert.equal(u.hostname, '127.0.0.1');
      assert.ok(!['2379', '2380'].includes(u.port), `${url} is not an etcd default port`);
    }
    for (const m of cluster.members) {
      assert.ok(m.running && isAlive(m.pid), `${m.name} runs`);
      assert.ok(existsSync(m.logFile), `${m.name} logs to ${m.logFile}`);
      assert.ok(m.logFile.startsWith(m.dataDir), 'the log is in the data directory');
    }
    for (const endpoint of cluster.endpoints) clients.push(etcdClient(endpoint));
    const list = await clients[0]!.cluster.memberList({});
    assert.deepEqual(list.members.map((m) => m.name).sort(), ['etcd1', 'etcd2', 'etcd3']);
  });

  void it('200 puts of 50 KB at once from a client on each endpoint read back as one range in revision order', async () => {
    for (let i = 0; i < FIRST; i++) values.set(keyOf(i), randomBytes(VALUE_BYTES));
    const started = performance.now();
    for (const [k, v] of await putAll(clients, values)) putRevisions.set(k, v);
    const ms = performance.now() - started;
    console.log(`etcd: ${FIRST} puts of 50 KB in ${ms.toFixed(0)} ms`);

    const res = await readAll(clients[1]!);
    assert.ok(FIRST * VALUE_BYTES > 4 * 1024 * 1024, 'the range is past gRPC’s default 4 MB limit');
    assert.ok(FIRST * VALUE_BYTES < GRPC_MAX_RECEIVE_BYTES);
    checkRange(res.kvs, values, putRevisions);
    assert.equal(BigInt(res.header.revision), BigInt(res.kvs.at(-1)!.mod_revision));

    // The same read with the client's default receive limit is refused, not silently cut.
    const plain = new Etcd3({ hosts: cluster!.endpoints[0]! });
    try {
      await assert.rejects(readAll(plain), /RESOURCE_EXHAUSTED|larger than max|exceed/i);
    } finally {
      plain.close();
    }
  });

  void it('kill -9 of the leader: writes go on through the other two; restarted on its data directory it catches up', async () => {
    const c = cluster!;
    const status = await clients[0]!.maintenance.status();
    const { members } = await clients[0]!.cluster.memberList({});
    const leaderName = members.find((m) => m.ID === status.leader)?.name;
    const leader: EtcdMember | undefined = c.members.find((m) => m.name === leaderName);
    assert.ok(leader, `leader ${status.leader} is one of the members`);
    const survivors = c.members.filter((m) => m !== leader);
    const survivorClients = survivors.map((m) => clients[c.members.indexOf(m)]!);

    const oldPid = leader.pid;
    await leader.kill('SIGKILL');
    assert.ok(!leader.running && !isAlive(oldPid), `${leader.name} (pid ${oldPid}) is dead`);

    const more = new Map<string, Buffer>();
    for (let i = FIRST; i < FIRST + DURING_OUTAGE; i++)
      more.set(keyOf(i), randomBytes(VALUE_BYTES));
    const started = performance.now();
    for (const [k, v] of await putAll(survivorClients, more)) putRevisions.set(k, v);
    console.log(
      `etcd: ${DURING_OUTAGE} puts through the 2 survivors of a leader kill -9 in ${(performance.now() - started).toFixed(0)} ms`,
    );
    for (const [k, v] of more) values.set(k, v);

    const latest = await readAll(survivorClients[0]!);
    checkRange(latest.kvs, values, putRevisions);
    const latestRevision = BigInt(latest.header.revision);

    await leader.restart();
    assert.ok(leader.running && leader.pid !== oldPid && isAlive(leader.pid));
    const back = etcdClient(leader.clientUrl);
    try {
      // A serializable read is answered from the member's own store: it shows the catch-up.
      const deadline = Date.now() + 15_000;
      let seen = 0n;
      for (;;) {
        try {
          const res = await readAll(back, true);
          seen = BigInt(res.header.revision);
          if (seen >= latestRevision) {
            checkRange(res.kvs, values, putRevisions);
            break;
          }
        } catch {
          // still replaying
        }
        assert.ok(Date.now() < deadline, `${leader.name} at revision ${seen} < ${latestRevision}`);
        await sleep(100);
      }
    } finally {
      back.close();
    }
  });

  void it('stop ends every member and removes the directory, and a second stop is harmless', async () => {
    const c = cluster!;
    for (const cl of clients.splice(0)) cl.close();
    const pids = c.members.map((m) => m.pid);
    await c.stop();
    await c.stop();
    for (const pid of pids) assert.ok(!isAlive(pid), `pid ${pid} ended`);
    assert.ok(!existsSync(c.dir), `${c.dir} removed`);
  });
});

void describe('etcd test cluster: options and failures', () => {
  void it('a small quota is passed to every member: writes past it are refused, reads go on', async () => {
    const quota = 4 * 1024 * 1024;
    const c = await startEtcdCluster({ quotaBackendBytes: quota });
    const client = etcdClient(c.endpoints, { attempts: 1 });
    try {
      let refused: Error | undefined;
      let written = 0;
      while (written < (2 * quota) / VALUE_BYTES) {
        try {
          await client.put(keyOf(written)).value(randomBytes(VALUE_BYTES));
          written++;
        } catch (e) {
          refused = e as Error;
          break;
        }
      }
      assert.match(String(refused?.message), /database space exceeded/);
      // etcd checks the quota against the database file, which grows as the backend commits.
      assert.ok(written * VALUE_BYTES < 1.5 * quota, `refused after ${written} values of 50 KB`);
      // Reads go on. A put refused with NOSPACE may still have been stored: etcd checks the
      // quota again when it applies the entry, applies it, and then answers the error.
      const stored = await client.getAll().prefix(PREFIX).count();
      assert.ok(stored === written || stored === written + 1, `${stored} stored, ${written} acked`);
    } finally {
      client.close();
      await c.stop();
    }
  });

  void it('a missing etcd binary throws an error that says how to install it', async () => {
    const path = process.env.PATH;
    const bin = process.env.AIDLEDGER_ETCD;
    process.env.PATH = '/nonexistent';
    delete process.env.AIDLEDGER_ETCD;
    try {
      await assert.rejects(
        startEtcdCluster(),
        (e: unknown) =>
          isAidError(e) && e.code === 'CONFIG' && /apt-get install etcd-server/.test(e.message),
      );
    } finally {
      process.env.PATH = path;
      if (bin !== undefined) process.env.AIDLEDGER_ETCD = bin;
    }
  });

  void it('a member that cannot start throws with the tail of its log', async () => {
    await assert.rejects(
      startEtcdCluster({ extraArgs: ['--no-such-flag'] }),
      /etcd member etcd\d .*exited[\s\S]*no-such-flag/,
    );
  });
});
