/**
 * An `aidledger start` node as a child process of this one, for `aidledger cluster demo`, the
 * crash tests and the benchmarks that keep the node out of the load generator's process: it
 * starts on a node directory, is ready once `GET /v1/health` answers, and stops with SIGTERM
 * (the node closes its ledger) or dies with SIGKILL, and starts again on the same directory.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Child, getJson } from './child.js';
import { freePort } from './ports.js';

/** The compiled CLI beside this file in dist/. */
export const CLI_MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export interface NodeProcessOptions {
  /** The node directory. */
  dir: string;
  /** How messages name it; the directory's name unless told. */
  name?: string;
  /** The HTTP port; a free one at each start unless told. */
  port?: number;
  /** The address it listens on (`--host`); the CLI's default, 127.0.0.1, unless told. */
  host?: string;
  /** Its output appended to this file; otherwise the last few kB are kept in memory. */
  logFile?: string;
  /** Node.js flags before the script, such as `--cpu-prof`. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A process group of its own (see SpawnSpec.detached). */
  detached?: boolean;
  /** How long a start may take until its health answers; 30 s unless told. */
  startTimeoutMs?: number;
}

export class NodeProcess {
  readonly name: string;
  private child: Child | undefined;
  private portNow: number;

  constructor(private readonly o: NodeProcessOptions) {
    this.name = o.name ?? basename(o.dir);
    this.portNow = o.port ?? 0;
  }

  get dir(): string {
    return this.o.dir;
  }

  get port(): number {
    return this.portNow;
  }

  /** Where its API answers (on loopback unless it listens on another host). */
  get url(): string {
    const host = this.o.host === undefined || this.o.host === '0.0.0.0' ? '127.0.0.1' : this.o.host;
    return `http://${host}:${this.portNow}`;
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  get running(): boolean {
    return this.child?.running ?? false;
  }

  /** Resolves once the current process has exited. */
  get exited(): Promise<void> {
    return this.child?.exited ?? Promise.resolve();
  }

  /** The end of its output. */
  output(chars?: number): string {
    return this.child?.output(chars) ?? '';
  }

  /** Spawns the process without waiting for it; `ready` waits. */
  async spawn(): Promise<void> {
    if (this.o.port === undefined) this.portNow = await freePort();
    const args = [
      ...(this.o.execArgv ?? []),
      CLI_MAIN,
      'start',
      '--dir',
      this.o.dir,
      '--port',
      String(this.portNow),
      ...(this.o.host === undefined ? [] : ['--host', this.o.host]),
    ];
    this.child = new Child(`node ${this.name}`, {
      bin: process.execPath,
      args,
      ...(this.o.env ? { env: this.o.env } : {}),
      ...(this.o.cwd ? { cwd: this.o.cwd } : {}),
      ...(this.o.logFile ? { logFile: this.o.logFile } : {}),
      detached: this.o.detached ?? false,
    });
    this.child.spawn();
  }

  /**
   * Waits until `GET /v1/health` answers 200. @throws AidError UNAVAILABLE with the end of its
   * output when it exits first or does not answer by `deadline`.
   */
  ready(deadline = Date.now() + (this.o.startTimeoutMs ?? 30_000)): Promise<void> {
    return this.child!.waitUntil(
      'answer /v1/health',
      async () => (await getJson(`${this.url}/v1/health`)).status === 200,
      deadline,
      50,
    );
  }

  /** Spawns the node and waits until it answers; a node that does not is killed. */
  async start(): Promise<void> {
    await this.spawn();
    try {
      await this.ready();
    } catch (e) {
      await this.kill();
      throw e;
    }
  }

  /**
   * Polls `check` until it answers true. @throws AidError UNAVAILABLE when the process exits
   * first or `deadline` passes.
   */
  waitUntil(what: string, check: () => Promise<boolean>, deadline: number): Promise<void> {
    return this.child!.waitUntil(what, check, deadline);
  }

  /** Sends `signal` (SIGKILL unless told) and waits until the process has exited. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return this.child?.kill(signal) ?? Promise.resolve();
  }

  /** SIGKILL without waiting: for a handler that cannot wait. */
  killNow(): void {
    this.child?.killNow();
  }

  /** SIGTERM (the node closes its ledger), SIGKILL after `graceMs` (10 s unless told). */
  stop(graceMs = 10_000): Promise<void> {
    return this.child?.stop(graceMs) ?? Promise.resolve();
  }
}
