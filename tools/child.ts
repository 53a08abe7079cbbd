/**
 * A child process this machine starts for itself (an etcd member, an `aidledger start` node),
 * whose output goes to a log file or, without one, to a tail kept in memory. It knows whether it
 * runs, waits until it answers, and stops cleanly: SIGTERM, then SIGKILL after a grace period.
 * While it runs, this process's exit kills it, so nothing it started outlives it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { AidError } from '../src/core/errors.js';

/** Output kept in memory when there is no log file, and shown from a log when a start fails. */
const TAIL_CHARS = 10_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Every child process running; one exit handler kills them all. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export interface SpawnSpec {
  bin: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Output appended to this file; otherwise the last few kB are kept in memory. */
  logFile?: string;
  /**
   * A process group of its own: a terminal's Ctrl-C then reaches only the parent, which stops
   * its children in the order it chooses.
   */
  detached?: boolean;
}

export class Child {
  private proc: ChildProcess | undefined;
  private spawnError: Error | undefined;
  private memory = '';
  /** Resolves once the current process has exited (at once before the first spawn). */
  exited: Promise<void> = Promise.resolve();

  constructor(
    /** How messages name it, e.g. `etcd member etcd1` or `node city-bureau`. */
    readonly what: string,
    private readonly spec: SpawnSpec,
  ) {}

  get pid(): number {
    return this.proc?.pid ?? 0;
  }

  get running(): boolean {
    const c = this.proc;
    return c !== undefined && this.spawnError === undefined && c.exitCode === null && !c.signalCode;
  }

  /** Starts the process. @throws Error when it is running already. */
  spawn(): void {
    if (this.running) throw new Error(`${this.what} is already running`);
    const { bin, args, env, cwd, logFile, detached } = this.spec;
    this.spawnError = undefined;
    this.memory = '';
    const fd = logFile === undefined ? undefined : openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(bin, args, {
        stdio: fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
        ...(env ? { env } : {}),
        ...(cwd ? { cwd } : {}),
        detached: detached ?? false,
      });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    this.proc = child;
    const keep = (b: Buffer) => {
      this.memory = (this.memory + b.toString('utf8')).slice(-TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    live.add(child);
    this.exited = new Promise<void>((resolve) => {
      const done = () => {
        live.delete(child);
        resolve();
      };
      child.once('exit', done);
      child.once('error', (e) => {
        this.spawnError = e;
        done();
      });
    });
  }

  /** The end of its output: the log file's, or what was kept in memory. */
  output(chars = 3000): string {
    if (this.spec.logFile === undefined) return this.memory.slice(-chars);
    try {
      const text = readFileSync(this.spec.logFile, 'utf8');
      return text.length > chars ? `…${text.slice(-chars)}` : text;
    } catch {
      return '(no log)';
    }
  }

  /** Why it is not running or not answering, with the end of its output. */
  failure(why: string): AidError {
    const where =
      this.spec.logFile === undefined ? 'its output' : `the end of ${this.spec.logFile}`;
    return new AidError('UNAVAILABLE', `${this.what} ${why}; ${where}:\n${this.output()}`);
  }

  /**
   * Polls `check` every `everyMs` until it answers true. @throws AidError UNAVAILABLE when the
   * process exits first or `deadline` (ms since the epoch) passes.
   */
  async waitUntil(
    what: string,
    check: () => Promise<boolean>,
    deadline: number,
    everyMs = 100,
  ): Promise<void> {
    for (;;) {
      if (!this.running) {
        await this.exited;
        const c = this.proc;
        throw this.failure(
          this.spawnError
            ? `could not be started (${this.spawnError.message})`
            : `exited before it would ${what} (code ${c?.exitCode ?? '-'}, signal ${c?.signalCode ?? '-'})`,
        );
      }
      try {
        if (await check()) return;
      } catch {
        // not answering yet
      }
      if (Date.now() > deadline) throw this.failure(`did not ${what} in time`);
      await sleep(everyMs);
    }
  }

  /**
   * Sends `signal` (SIGKILL unless told) and, for a signal that ends the process, resolves once
   * it has exited. SIGSTOP, SIGTSTP and SIGCONT resolve at once.
   */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    this.proc!.kill(signal);
    if (signal === 'SIGSTOP' || signal === 'SIGCONT' || signal === 'SIGTSTP') return;
    await this.exited;
  }

  /** SIGKILL without waiting: for a handler that cannot wait. */
  killNow(): void {
    if (this.running) this.proc!.kill('SIGKILL');
  }

  /** SIGTERM (and SIGCONT, should it be stopped), then SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.proc!.kill('SIGTERM');
    this.proc!.kill('SIGCONT');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!ended) await this.kill('SIGKILL');
  }
}

/** GETs `url` and answers its status and JSON body (an empty object if it is not JSON). */
export async function getJson(
  url: string,
  timeoutMs = 2000,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, json };
}
