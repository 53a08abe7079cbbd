/**
 * A real etcd cluster for tests: N members (3 by default) of the `etcd` binary on PATH (Debian's
 * `etcd-server`), each a child process with its own data directory under one temporary
 * directory, listening on loopback ports picked free at start (never the default 2379/2380,
 * which the Debian package's own service may hold). Each member's log is `etcd.log` in its data
 * directory (etcd notes it as a file it does not know, and ignores it). Start returns once every
 * member answers `/health` and a put/get round-trips through the etcd3 client on every endpoint.
 *
 * Without an `etcd` binary this throws: the cluster tests never skip themselves.
 */
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ExponentialBackoff, handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, isRecoverableError } from 'etcd3';
import { freePorts } from '../src/node/ports.js';

/** Large enough for one range read of a few hundred 50 KB values (gRPC's default is 4 MB). */
export const GRPC_MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

const LOG_TAIL_BYTES = 4000;

export interface EtcdClusterOptions {
  /** Members in the cluster; 3 unless told. */
  size?: number;
  /** `--quota-backend-bytes` for every member (etcd's default is 2 GiB). */
  quotaBackendBytes?: number;
  /** Further flags for every member, such as `['--max-request-bytes', '2097152']`. */
  extraArgs?: string[];
  /** The etcd binary; otherwise `AIDLEDGER_ETCD`, otherwise `etcd` on PATH. */
  bin?: string;
  /** How long start (and each restart) may take before it fails; 30 s unless told. */
  startTimeoutMs?: number;
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
  /** The temporary directory that holds every member's data directory. */
  readonly dir: string;
  /**
   * Ends the members one by one (SIGTERM, then SIGKILL after 5 s) and removes the directory;
   * safe to call again.
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

/** The etcd binary to run, or a clear error saying how to install one. */
export function findEtcd(bin?: string): string {
  const explicit = bin ?? process.env.AIDLEDGER_ETCD;
  if (explicit !== undefined && explicit !== '') {
    if (isExecutable(explicit)) return explicit;
    throw new Error(`etcd binary ${explicit} is not an executable file`);
  }
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d === '') continue;
    const candidate = join(d, 'etcd');
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error(
    'etcd is not on PATH: the cluster tests start a real 3-member etcd cluster. Install etcd 3.4+ ' +
      '(Debian/Ubuntu: `sudo apt-get install etcd-server`), or set AIDLEDGER_ETCD to its binary.',
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function tail(file: string, bytes = LOG_TAIL_BYTES): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.length > bytes ? `…${text.slice(-bytes)}` : text;
  } catch (e) {
    return `(no log: ${(e as Error).message})`;
  }
}

class StartError extends Error {
  constructor(
    message: string,
    readonly portInUse: boolean,
  ) {
    super(message);
  }
}

class Member implements EtcdMember {
  readonly dataDir: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private spawnError: Error | undefined;

  constructor(
    readonly name: string,
    readonly clientUrl: string,
    readonly peerUrl: string,
    dir: string,
    private readonly bin: string,
    private readonly args: string[],
    private readonly timeoutMs: number,
  ) {
    this.dataDir = join(dir, name);
    this.logFile = join(this.dataDir, 'etcd.log');
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  get running(): boolean {
    const c = this.child;
    return (
      c !== undefined &&
      this.spawnError === undefined &&
      c.exitCode === null &&
      c.signalCode === null
    );
  }

  /** Spawns the process; its stdout and stderr append to `etcd.log` in the data directory. */
  spawn(): void {
    if (this.running) throw new Error(`etcd member ${this.name} is already running`);
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const fd = openSync(this.logFile, 'a');
    const env: NodeJS.ProcessEnv = {};
    // etcd reads ETCD_* variables as flags: a stray one must not change the test cluster.
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ETCD_')) env[k] = v;
    if (process.env.ETCD_UNSUPPORTED_ARCH)
      env.ETCD_UNSUPPORTED_ARCH = process.env.ETCD_UNSUPPORTED_ARCH;
    else if (process.arch === 'arm64') env.ETCD_UNSUPPORTED_ARCH = 'arm64';
    try {
      this.spawnError = undefined;
      const child = spawn(this.bin, this.args, { stdio: ['ignore', fd, fd], env });
      this.child = child;
      this.exited = new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.once('error', (e) => {
          this.spawnError = e;
          resolve();
        });
      });
    } finally {
      closeSync(fd);
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.child!.kill(signal);
    if (signal === 'SIGSTOP' || signal === 'SIGCONT' || signal === 'SIGTSTP') return;
    await this.exited;
  }

  /** Sends SIGKILL without waiting: for the process's exit handler. */
  killNow(): void {
    if (this.running) this.child!.kill('SIGKILL');
  }

  /** SIGTERM, then SIGKILL if still running after `graceMs`. */
  async end(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    this.child!.kill('SIGCONT');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!ended) await this.kill('SIGKILL');
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

  /** The error to throw when the member did not come up, with the tail of its log. */
  failure(why: string): StartError {
    const log = tail(this.logFile);
    return new StartError(
      `etcd member ${this.name} (${this.clientUrl}) ${why}; last lines of ${this.logFile}:\n${log}`,
      /address already in use/.test(log),
    );
  }

  /** Waits until the member's `/health` answers `{"health":"true"}`. */
  async waitHealthy(deadline: number): Promise<void> {
    for (;;) {
      const child = this.child;
      if (!child || !this.running) {
        await this.exited;
        throw this.failure(
          this.spawnError
            ? `could not be started: ${this.spawnError.message}`
            : `exited during start (code ${child?.exitCode ?? '?'}, signal ${child?.signalCode ?? '-'})`,
        );
      }
      try {
        const res = await fetch(`${this.clientUrl}/health`, { signal: AbortSignal.timeout(2_000) });
        const body = (await res.json()) as { health?: unknown };
        if (res.status === 200 && body.health === 'true') return;
      } catch {
        // not listening yet, or no leader yet
      }
      if (Date.now() > deadline) throw this.failure('did not become healthy in time');
      await sleep(100);
    }
  }
}

/** A put and a linearizable get through the etcd3 client on one endpoint. */
async function roundTrip(member: Member, deadline: number): Promise<void> {
  const key = `/aidledger-test/health/${member.name}`;
  let last: unknown;
  while (Date.now() < deadline) {
    const client = etcdClient(member.clientUrl, { attempts: 1 });
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
    await sleep(200);
  }
  throw member.failure(`did not round-trip a put and get: ${(last as Error)?.message ?? last}`);
}

async function startOnce(bin: string, opts: EtcdClusterOptions): Promise<EtcdCluster> {
  const size = opts.size ?? 3;
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const ports = await freePorts(2 * size);
  const dir = mkdtempSync(join(tmpdir(), 'aidledger-etcd-'));
  const token = `aidledger-test-${process.pid}-${randomUUID()}`;
  const names = Array.from({ length: size }, (_, i) => `etcd${i + 1}`);
  const clientUrls = names.map((_, i) => `http://127.0.0.1:${ports[2 * i]}`);
  const peerUrls = names.map((_, i) => `http://127.0.0.1:${ports[2 * i + 1]}`);
  const initialCluster = names.map((n, i) => `${n}=${peerUrls[i]}`).join(',');

  const members = names.map((name, i) => {
    const dataDir = join(dir, name);
    const args = [
      '--name',
      name,
      '--data-dir',
      dataDir,
      '--listen-client-urls',
      clientUrls[i]!,
      '--advertise-client-urls',
      clientUrls[i]!,
      '--listen-peer-urls',
      peerUrls[i]!,
      '--initial-advertise-peer-urls',
      peerUrls[i]!,
      '--initial-cluster',
      initialCluster,
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
    ];
    if (opts.quotaBackendBytes !== undefined)
      args.push('--quota-backend-bytes', String(opts.quotaBackendBytes));
    args.push(...(opts.extraArgs ?? []));
    return new Member(name, clientUrls[i]!, peerUrls[i]!, dir, bin, args, timeoutMs);
  });

  let stopping: Promise<void> | undefined;
  const onExit = () => {
    for (const m of members) m.killNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // One after another: a leader told to stop hands its leadership to a live follower first,
      // which takes milliseconds; with every member stopping at once it waits for the hand-over
      // to time out (about 7 s).
      for (const m of members) await m.end();
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    for (const m of members) m.spawn();
    const deadline = Date.now() + timeoutMs;
    await Promise.all(members.map((m) => m.waitHealthy(deadline)));
    await Promise.all(members.map((m) => roundTrip(m, deadline)));
  } catch (e) {
    await stop();
    throw e;
  }
  return { endpoints: clientUrls, members, dir, stop };
}

/**
 * Starts a real etcd cluster on loopback and waits until it is healthy. A port taken between
 * picking it and etcd binding it is retried with fresh ports; any other failure throws with the
 * tail of the failing member's log.
 */
export async function startEtcdCluster(opts: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  const bin = findEtcd(opts.bin);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(bin, opts);
    } catch (e) {
      if (!(e instanceof StartError && e.portInUse && attempt < 3)) throw e;
    }
  }
}
