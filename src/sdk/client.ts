/**
 * The HTTP client of a node, for Node and browsers (it needs only `fetch`). Submissions are sent
 * in their RFC 8785 form; error bodies become AidErrors with the server's code.
 */
import type {
  BlockDetail,
  BlocksPage,
  CheckpointsPage,
  ConsistencyProof,
  InclusionProof,
  KeyHolder,
  LogEntries,
  LogEntry,
  Outcome,
  TxView,
} from '../chain/explorer-types.js';
import type { Policy } from '../chain/policy.js';
import type { Receipt } from '../chain/receipt.js';
import type { Submission } from '../chain/tx.js';
import { fromBase64, fromHex } from '../core/bytes.js';
import { canonicalJson } from '../core/canonical.js';
import { AidError, type ErrorCode } from '../core/errors.js';

export type { Outcome };

export interface ClientOptions {
  fetch?: typeof fetch;
  /** Request timeout in milliseconds. */
  timeoutMs?: number;
}

export class AidClient {
  readonly base: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, opts: ClientOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? ((...a) => fetch(...a));
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /**
   * Opens a response that stays open (server-sent events), signed in with `token`; it ends when
   * `signal` aborts or the node closes it. @throws AidError with the node's code.
   */
  openStream(path: string, token: string, signal: AbortSignal): Promise<Response> {
    return this.request(path, { headers: { authorization: `Bearer ${token}` } }, signal);
  }

  private async request(path: string, init?: RequestInit, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path, {
        ...init,
        signal: signal ?? AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new AidError('UNAVAILABLE', `cannot reach ${this.base}: ${(cause as Error).message}`, {
        cause,
      });
    }
    if (!res.ok) {
      let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } =
        {};
      try {
        body = (await res.json()) as typeof body;
      } catch {
        // not a JSON error body
      }
      const code = (body.error?.code ??
        (res.status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE')) as ErrorCode;
      throw new AidError(
        code,
        body.error?.message ?? `HTTP ${res.status}`,
        body.error?.details ? { details: body.error.details } : undefined,
      );
    }
    return res;
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }

  /** GETs a JSON document; `token` (from `signIn`) signs the request in as its key's holder. */
  get<T>(path: string, token?: string): Promise<T> {
    return this.json(
      path,
      token === undefined ? undefined : { headers: { authorization: `Bearer ${token}` } },
    );
  }

  /**
   * POSTs a JSON body that is not a submission (submissions go through `submit`); `token`, when
   * given, signs the request in.
   */
  post<T>(path: string, body: unknown, token?: string): Promise<T> {
    return this.json(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
  }

  /** Submits one transaction; resolves once committed. */
  submit(sub: Submission): Promise<Outcome> {
    return this.json('/v1/tx', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: canonicalJson(sub),
    });
  }

  /** Submits up to 1,000 transactions in one request; all are admitted or none. */
  async submitMany(subs: readonly Submission[]): Promise<Outcome[]> {
    const r = await this.json<{ results: Outcome[] }>('/v1/txs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: canonicalJson(subs),
    });
    return r.results;
  }

  /** Posts a prepared body as is (for pre-serialised batches). */
  async submitRaw(path: '/v1/tx' | '/v1/txs', body: string): Promise<unknown> {
    return this.json(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  }

  /** A transaction with its result, block and log index. @throws AidError NOT_FOUND. */
  tx(id: string): Promise<TxView> {
    return this.json(`/v1/tx/${encodeURIComponent(id)}`);
  }

  /** One block with its transactions. @throws AidError NOT_FOUND. */
  block(height: number): Promise<BlockDetail> {
    return this.json(`/v1/blocks/${height}`);
  }

  /** Up to `limit` (1 to 100) blocks from height `from` on, oldest first. */
  blocks(from: number, limit: number): Promise<BlocksPage> {
    return this.json(`/v1/blocks?from=${from}&limit=${limit}`);
  }

  /** What sits at a log index: a transaction or a block's closing leaf. @throws AidError NOT_FOUND. */
  logEntry(index: number): Promise<LogEntry> {
    return this.json(`/v1/log/entries/${index}`);
  }

  /**
   * Up to `limit` (1 to 100) checkpoints the node signed for log sizes below `before` (all when
   * undefined), newest first. Their signers are as the notes claim: verify each under a policy.
   */
  checkpoints(before: number | undefined, limit: number): Promise<CheckpointsPage> {
    return this.json(
      `/v1/checkpoints?limit=${limit}${before === undefined ? '' : `&before=${before}`}`,
    );
  }

  /** Who holds a signing key. @throws AidError NOT_FOUND when no member, applicant or node does. */
  keyHolder(key: string): Promise<KeyHolder> {
    return this.json(`/v1/keys/${encodeURIComponent(key)}`);
  }

  async checkpoint(): Promise<string> {
    return (await this.request('/v1/log/checkpoint')).text();
  }

  /** Exact leaf bytes for start <= i < end; may return fewer (page on). */
  async entries(start: number, end: number): Promise<Uint8Array[]> {
    const r = await this.json<LogEntries>(`/v1/log/entries?start=${start}&end=${end}`);
    return r.entries.map((e) => fromBase64(e, 'entry'));
  }

  async inclusionProof(
    index: number,
    size: number,
  ): Promise<{ leafHash: Uint8Array; proof: Uint8Array[] }> {
    const r = await this.json<InclusionProof>(
      `/v1/log/proof/inclusion?index=${index}&size=${size}`,
    );
    return { leafHash: fromHex(r.leafHash, 32), proof: r.proof.map((p) => fromHex(p, 32)) };
  }

  async consistencyProof(first: number, second: number): Promise<Uint8Array[]> {
    const r = await this.json<ConsistencyProof>(
      `/v1/log/proof/consistency?first=${first}&second=${second}`,
    );
    return r.proof.map((p) => fromHex(p, 32));
  }

  receipt(txid: string): Promise<Receipt> {
    return this.json(`/v1/receipt/${encodeURIComponent(txid)}`);
  }

  async policy(): Promise<Policy> {
    // Its schema (and zod) are loaded when a policy is first asked for: a web page that checks no
    // checkpoint starts without them (on a slow phone, a good part of a second).
    const { parsePolicy } = await import('../chain/policy.js');
    return parsePolicy(await this.json('/v1/policy'));
  }

  genesis(): Promise<unknown> {
    return this.json('/v1/genesis');
  }

  health(): Promise<{ ok: boolean; chain: string; height: number; size: number }> {
    return this.json('/v1/health');
  }
}
