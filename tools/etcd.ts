/**
 * A real etcd cluster on this machine, for `aidledger cluster demo`, the cluster tests and the
 * consortium benchmark: N members (3 by default) of the `etcd` binary (Debian's `etcd-server`),
 * each a child process with its own data directory, on loopback ports picked free at start
 * (never the default 2379/2380, which the Debian package's own service may hold) or given, as a
 * demo restarted on its directory gives the ports of its first start. Start returns once every
 * member answers `/health` and a put and a get round-trip through the etcd3 client on every
 * endpoint; stop ends the members one after another.
 *
 * Without an `etcd` binary start throws: the cluster tests never skip themselves.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ExponentialBackoff, handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, isRecoverableError } from 'etcd3';
import { AidError } from '../src/core/errors.js';
import { Child, getJson } from './child.js';
import { freePorts } from './ports.js';

/** Large enough for one range read of a few hundred 50 KB values (gRPC's default is 4 MB). */
export const GRPC_MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

/** A member's name and loopback ports. */
export interface EtcdMemberSpec {
  name: string;
  client: number;
  peer: number;
}

export interface EtcdClusterOptions {
  /** Members in the cluster; 3 unless told (or the length of `members`). */
  size?: number;
  /**
   * The directory of the members' data directories (`<dir>/<name>`), kept on stop. Unless told,
   * a temporary directory that stop removes.
   */
  dir?: string;
  /** Each member's log is `<logDir>/<name>.log`; unless told, `etcd.log` in its data directory. */
  logDir?: string;
  /** The members' names and ports; `etcd1`… on free ports unless told. */
  members?: readonly EtcdMemberSpec[];
  /** The cluster token of its first start; a fresh one unless told. */
  token?: string;
  /** `--quota-backend-bytes` for every member (etcd's default is 2 GiB). */
  quotaBackendBytes?: number;
  /** Further flags for every member, such as `['--max-request-bytes', '2097152']`. */
  extraArgs?: string[];
  /** The etcd binary; otherwise `AIDLEDGER_ETCD`, otherwise `etcd` on PATH. */
  bin?: string;
  /** Who needs etcd, for the message when there is none. */
  purpose?: string;
  /** How long start (and each restart) may take before it fails; 30 s unless told. */
  startTimeoutMs?: number;
  /** Each member in a process group of its own (see SpawnSpec.detached). */
  detached?: boolean;
}

export interface EtcdMember {
  readonly name: string;
  /** The process id of the member's current process (it changes on restart). */
  readonly pid: number;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly running: boolean;
  /** Resolves once the member's current process has exited. */
  readonly exited: Promise<void>;
  /**
   * Sends `signal` (SIGKILL unless told) and, for a signal that ends the process, resolves once
   * it has exited. SIGSTOP and SIGCONT resolve at once.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the member again on its data directory; resolves once its `/health` answers true. */
  restart(): Promise<void>;
}

export interface EtcdCluster {
  /** The client URLs, in member order. */
  readonly endpoints: string[];
  readonly members: EtcdMember[];
  /** The names and ports, to start the same cluster again. */
  readonly specs: EtcdMemberSpec[];
  readonly token: string;
  /** The directory that holds every member's data directory. */
  readonly dir: string;
  /**
   * Ends the members one by one (SIGTERM, then SIGKILL after 5 s) and removes the directory if
   * it was a temporary one; safe to call again.
   */
  stop(): Promise<void>;
}

export interface EtcdClientOptions {
  /** Deadline of each unary call; a call past it is retried. 3 s unless told. */
  deadlineMs?: number;
  /** Attempts of each call on recoverable errors (unavailable, deadline exceeded); 6 unless told. */
  attempts?: number;
}

/**
 * An etcd3 client on `hosts` whose gRPC receive limit is raised to `GRPC_MAX_RECEIVE_BYTES`, whose
 * calls have a deadline and are retried with backoff on recoverable errors, and which has no
 * per-host circuit breaker. With etcd3's default breaker, a few failures in a row (as every call
 * in flight to a follower gets when the leader dies) block the host for 5 s, and retries then
 * fail at once: a client on one endpoint gives up on writes that the new leader would accept.
 * A retried put may have committed once already: what the tests write is idempotent by key.
 */
export function etcdClient(hosts: string | string[], opts: EtcdClientOptions = {}): Etcd3 {
  const deadlineMs = opts.deadlineMs ?? 3_000;
  return new Etcd3({
    hosts,
    dialTimeout: 5_000,
    grpcOptions: { 'grpc.max_receive_message_length': GRPC_MAX_RECEIVE_BYTES },
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + deadlineMs }),
    faultHandling: {
      host: () => noop,
      global: retry(handleWhen(isRecoverableError), {
        maxAttempts: (opts.attempts ?? 6) - 1,
        backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }),
      }),
    },
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The etcd binary: `bin`, otherwise `AIDLEDGER_ETCD`, otherwise `etcd` on PATH.
 * @throws AidError CONFIG saying how to install one; `purpose` says who needs it.
 */
export function findEtcd(
  bin?: string,
  purpose = 'a local etcd cluster runs the etcd binary',
): string {
  const fromEnv = bin === undefined;
  const explicit = bin ?? process.env.AIDLEDGER_ETCD;
  if (explicit !== undefined && explicit !== '') {
    if (isExecutable(explicit)) return explicit;
    throw new AidError(
      'CONFIG',
      `${fromEnv ? `AIDLEDGER_ETCD=${explicit}` : `etcd binary ${explicit}`} is not an executable file`,
    );
  }
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d !== '' && isExecutable(join(d, 'etcd'))) return join(d, 'etcd');
  }
  throw new AidError(
    'CONFIG',
    `etcd is not installed: ${purpose}. Install etcd 3.4 or later ` +
      '(Debian/Ubuntu: sudo apt-get install etcd-server, then sudo systemctl disable --now etcd), ' +
      'or set AIDLEDGER_ETCD to an etcd binary',
  );
}

/** The environment of a member: etcd reads ETCD_* variables as flags, so none leaks in. */
function etcdEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ETCD_')) env[k] = v;
  if (process.env.ETCD_UNSUPPORTED_ARCH)
    env.ETCD_UNSUPPORTED_ARCH = process.env.ETCD_UNSUPPORTED_ARCH;
  else if (process.arch === 'arm64') env.ETCD_UNSUPPORTED_ARCH = 'arm64';
  return env;
}

const loopback = (port: number) => `http://127.0.0.1:${port}`;

class Member implements EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly child: Child;

  constructor(
    spec: EtcdMemberSpec,
    dir: string,
    logDir: string | undefined,
    bin: string,
    args: string[],
    detached: boolean,
    private readonly timeoutMs: number,
  ) {
    this.name = spec.name;
    this.clientUrl = loopback(spec.client);
    this.peerUrl = loopback(spec.peer);
    this.dataDir = join(dir, spec.name);
    this.logFile =
      logDir === undefined ? join(this.dataDir, 'etcd.log') : join(logDir, `${spec.name}.log`);
    this.child = new Child(`etcd member ${spec.name} (${this.clientUrl})`, {
      bin,
      args,
      env: etcdEnv(),
      logFile: this.logFile,
      detached,
    });
  }

  get pid(): number {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.running;
  }

  get exited(): Promise<void> {
    return this.child.exited;
  }

  spawn(): void {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.child.spawn();
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.child.kill(signal);
  }

  async restart(): Promise<void> {
    this.spawn();
    try {
      await this.waitHealthy(Date.now() + this.timeoutMs);
    } catch (e) {
      await this.kill('SIGKILL');
      throw e;
    }
  }

  /** Waits until the member's `/health` answers `{"health":"true"}`. */
  waitHealthy(deadline: number): Promise<void> {
    return this.child.waitUntil(
      'become healthy',
      async () => {
        const r = await getJson(`${this.clientUrl}/health`);
        return r.status === 200 && r.json.health === 'true';
      },
      deadline,
    );
  }

  /** A put and a linearizable get through the etcd3 client on this member's endpoint. */
  async roundTrip(deadline: number): Promise<void> {
    const key = `/aidledger-launcher/health/${this.name}`;
    let last: unknown;
    while (Date.now() < deadline) {
      const client = etcdClient(this.clientUrl, { attempts: 1 });
      try {
        const value = randomUUID();
        await client.put(key).value(value);
        if ((await client.get(key).string()) === value) return;
        last = new Error('read a different value than written');
      } catch (e) {
        last = e;
      } finally {
        client.close();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw this.child.failure(
      `did not round-trip a put and get: ${(last as Error)?.message ?? String(last)}`,
    );
  }
}

function memberArgs(
  m: EtcdMemberSpec,
  dataDir: string,
  all: readonly EtcdMemberSpec[],
  token: string,
  o: EtcdClusterOptions,
): string[] {
  const client = loopback(m.client);
  const peer = loopback(m.peer);
  return [
    '--name',
    m.name,
    '--data-dir',
    dataDir,
    '--listen-client-urls',
    client,
    '--advertise-client-urls',
    client,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    // Read on the first start only; later starts take the membership from the data directory.
    '--initial-cluster',
    all.map((x) => `${x.name}=${loopback(x.peer)}`).join(','),
    '--initial-cluster-state',
    'new',
    '--initial-cluster-token',
    token,
    '--auto-compaction-retention',
    '0',
    '--logger',
    'zap',
    '--log-outputs',
    'stderr',
    ...(o.quotaBackendBytes === undefined
      ? []
      : ['--quota-backend-bytes', String(o.quotaBackendBytes)]),
    ...(o.extraArgs ?? []),
  ];
}

/** Whether a start failed because a port was taken between picking it and etcd binding it. */
const portTaken = (members: Member[]) =>
  members.some((m) => /address already in use/.test(m.child.output(4000)));

async function startOnce(bin: string, o: EtcdClusterOptions): Promise<EtcdCluster> {
  const timeoutMs = o.startTimeoutMs ?? 30_000;
  let specs: EtcdMemberSpec[];
  if (o.members) specs = [...o.members];
  else {
    const size = o.size ?? 3;
    const ports = await freePorts(2 * size);
    specs = Array.from({ length: size }, (_, i) => ({
      name: `etcd${i + 1}`,
      client: ports[2 * i]!,
      peer: ports[2 * i + 1]!,
    }));
  }
  const temporary = o.dir === undefined;
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'aidledger-etcd-'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (o.logDir !== undefined) mkdirSync(o.logDir, { recursive: true });
  const token = o.token ?? `aidledger-${process.pid}-${randomUUID()}`;
  const members = specs.map(
    (s) =>
      new Member(
        s,
        dir,
        o.logDir,
        bin,
        memberArgs(s, join(dir, s.name), specs, token, o),
        o.detached ?? false,
        timeoutMs,
      ),
  );

  let stopping: Promise<void> | undefined;
  // On this process's exit the members are killed (tools/child.ts) before this runs.
  const removeTemp = () => {
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeTemp);
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // One after another: a leader told to stop hands its leadership to a live follower first,
      // which takes milliseconds; with every member stopping at once it waits for the hand-over
      // to time out (about 7 s).
      for (const m of members) await m.child.stop(5_000);
      process.removeListener('exit', removeTemp);
      removeTemp();
    })();
    return stopping;
  };

  try {
    for (const m of members) m.spawn();
    const deadline = Date.now() + timeoutMs;
    await Promise.all(members.map((m) => m.waitHealthy(deadline)));
    await Promise.all(members.map((m) => m.roundTrip(deadline)));
  } catch (e) {
    await stop();
    if (o.members === undefined && portTaken(members)) throw new PortTaken(e);
    throw e;
  }
  return { endpoints: members.map((m) => m.clientUrl), members, specs, token, dir, stop };
}

class PortTaken extends Error {
  constructor(readonly original: unknown) {
    super('a port was taken');
  }
}

/**
 * Starts a real etcd cluster on loopback and waits until it is healthy. A free port taken
 * between picking it and etcd binding it is retried with fresh ports; any other failure throws
 * with the end of the failing member's log.
 * @throws AidError CONFIG without an etcd binary, UNAVAILABLE when a member does not come up.
 */
export async function startEtcdCluster(o: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  const bin = findEtcd(o.bin, o.purpose);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(bin, o);
    } catch (e) {
      if (!(e instanceof PortTaken)) throw e;
      if (attempt >= 3) throw e.original;
    }
  }
}
