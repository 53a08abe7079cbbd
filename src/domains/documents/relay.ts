/**
 * How a node fetches a document's bytes from the node that holds them, for a reader signed in to
 * it: it signs in to the holder with its node key (as catch-up does), asks for the document
 * naming the committed read transaction, and checks the bytes against the ledger's commitment
 * with the salt the holder sends beside them. Tokens are kept per peer until shortly before they
 * expire.
 */
import { createHash } from 'node:crypto';
import { challengeText } from '../../chain/auth.js';
import { toHex } from '../../core/bytes.js';
import { AidError, type ErrorCode } from '../../core/errors.js';
import type { NodeServices } from '../../runtime/routes.js';
import { MAX_DOCUMENT_BYTES } from './types.js';

const TIMEOUT_MS = 30_000;
/** A token is used for 10 of its 15 minutes. */
const TOKEN_USE_MS = 10 * 60_000;

export class PeerRelay {
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(
    private readonly chain: string,
    private readonly node: NodeServices,
  ) {}

  private async call(url: string, init?: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (cause) {
      throw new AidError('UNAVAILABLE', 'the node that holds the document cannot be reached', {
        cause,
      });
    }
  }

  private async token(base: string): Promise<string> {
    const now = Date.now();
    const known = this.tokens.get(base);
    if (known && known.until > now) return known.token;
    const post = (path: string, body: unknown) =>
      this.call(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const c = await post('/v1/auth/challenge', { key: this.node.publicKey });
    if (!c.ok) throw new AidError('UNAVAILABLE', 'the holding node gave no challenge');
    const { challenge } = (await c.json()) as { challenge: string };
    const sig = toHex(
      this.node.sign(new TextEncoder().encode(challengeText(this.chain, challenge))),
    );
    const t = await post('/v1/auth/token', { key: this.node.publicKey, challenge, sig });
    if (!t.ok) throw new AidError('UNAVAILABLE', 'the holding node refused this node’s sign-in');
    const { token } = (await t.json()) as { token: string };
    this.tokens.set(base, { token, until: now + TOKEN_USE_MS });
    return token;
  }

  /**
   * The bytes of `document` from the node of `holder`, for the committed read `readTx`, checked
   * against `commitment`. @throws AidError UNAVAILABLE, TAMPERED, or the holder's refusal code.
   */
  async fetch(
    holder: string,
    document: string,
    readTx: string,
    commitment: string,
  ): Promise<Buffer> {
    const base = await this.node.peerUrl(holder);
    if (!base) throw new AidError('UNAVAILABLE', `the node of ${holder} is not known here`);
    const url = `${base}/v1/cluster/documents/${document}?read=${readTx}`;
    let res = await this.call(url, {
      headers: { authorization: `Bearer ${await this.token(base)}` },
    });
    if (res.status === 401) {
      this.tokens.delete(base);
      res = await this.call(url, {
        headers: { authorization: `Bearer ${await this.token(base)}` },
      });
    }
    if (!res.ok) {
      let e: { code?: string; message?: string } = {};
      try {
        e = ((await res.json()) as { error?: typeof e }).error ?? {};
      } catch {
        // not an error body
      }
      throw new AidError(
        (e.code as ErrorCode | undefined) ?? 'UNAVAILABLE',
        `the holding node: ${e.message ?? res.status}`,
      );
    }
    const salt = res.headers.get('x-aidledger-salt') ?? '';
    if (Number(res.headers.get('content-length') ?? 0) > MAX_DOCUMENT_BYTES)
      throw new AidError('TAMPERED', 'the holding node sent more than a document can be');
    const bytes = Buffer.from(await res.arrayBuffer());
    const h = createHash('sha256').update(Buffer.from(salt, 'hex')).update(bytes).digest('hex');
    if (!/^[0-9a-f]{64}$/.test(salt) || h !== commitment)
      throw new AidError('TAMPERED', 'the holding node sent bytes that are not the document');
    return bytes;
  }
}
