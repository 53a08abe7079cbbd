/**
 * Runs a ledger job in a Web Worker and follows it: its progress, its result, a refusal with its
 * code; `cancel` ends the worker at once. Leaving the page ends it too.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Policy } from '@sdk';
import { client } from '../../lib/api';
import type { LedgerJob, LedgerMessage, TrailEntry, VerifyResult } from './ledger-jobs';

type JobSpec = { kind: 'verify'; policy: Policy } | { kind: 'trail'; caseId: string };

export type JobState =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'verified'; report: VerifyResult }
  | { kind: 'trail'; entries: TrailEntry[] }
  | { kind: 'failed'; code: string; message: string; details?: Record<string, unknown> }
  | { kind: 'cancelled' };

export function useLedgerJob() {
  const [state, setState] = useState<JobState>({ kind: 'idle' });
  const worker = useRef<Worker | null>(null);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);

  useEffect(() => stop, [stop]);

  const start = useCallback(
    (spec: JobSpec) => {
      stop();
      const w = new Worker(new URL('./ledger-worker.ts', import.meta.url), { type: 'module' });
      worker.current = w;
      setState({ kind: 'running', done: 0, total: 0 });
      w.onmessage = (e: MessageEvent<LedgerMessage>) => {
        const m = e.data;
        if (m.kind === 'progress') {
          setState({ kind: 'running', done: m.done, total: m.total });
          return;
        }
        setState(m);
        stop();
      };
      w.onerror = (e) => {
        e.preventDefault();
        setState({ kind: 'failed', code: 'UNAVAILABLE', message: e.message });
        stop();
      };
      const job: LedgerJob =
        spec.kind === 'verify'
          ? { kind: 'verify', base: client.base, policy: spec.policy }
          : { kind: 'trail', base: client.base, caseId: spec.caseId };
      w.postMessage(job);
    },
    [stop],
  );

  const cancel = useCallback(() => {
    stop();
    setState({ kind: 'cancelled' });
  }, [stop]);

  return { state, start, cancel };
}
