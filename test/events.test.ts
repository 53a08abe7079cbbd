/**
 * `GET /v1/events` over real HTTP against a real node: a screen is told of each block that changed
 * what it may see, and of nothing else; a revoked member's stream ends at the block that revokes
 * them, an expired token's when it expires; streams are bounded per key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cnId, programSpec, startAidNode, type AidNode } from './aid-fixtures.js';
import { followEvents, type Change } from '../src/sdk/events.js';

interface Event {
  event: string;
  data: {
    height?: number;
    reason?: string;
    changes?: { domain: string; kind: string; id: string; state?: string }[];
  };
}

/** An open stream: events as they arrive, read with fetch and the Authorization header. */
class Stream {
  readonly events: Event[] = [];
  private waiters: (() => void)[] = [];
  ended = false;
  private constructor(private readonly abort: AbortController) {}

  static async open(n: AidNode, signer: string): Promise<Stream> {
    const abort = new AbortController();
    const res = await fetch(`${n.url}/v1/events`, {
      headers: { authorization: `Bearer ${await n.token(signer)}` },
      signal: abort.signal,
    });
    assert.equal(res.status, 200, await (res.status === 200 ? '' : res.text()));
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const s = new Stream(abort);
    void s.read(res.body!);
    await s.next((e) => e.event === 'ready');
    return s;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of body) {
        buf += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined)
            this.events.push({ event, data: JSON.parse(data) as Event['data'] });
          this.wake();
        }
      }
    } catch {
      // aborted by the test
    }
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits for an event that `pred` accepts (among those already received, too). */
  async next(pred: (e: Event) => boolean, ms = 15_000): Promise<Event> {
    const deadline = Date.now() + ms;
    for (;;) {
      const e = this.events.find(pred);
      if (e) return e;
      if (this.ended) throw new Error(`stream ended; got ${JSON.stringify(this.events)}`);
      if (Date.now() > deadline)
        throw new Error(`no such event; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  /** The case ids this stream was told of. */
  cases(): Set<string> {
    return new Set(
      this.events
        .flatMap((e) => e.data.changes ?? [])
        .filter((c) => c.kind === 'case')
        .map((c) => c.id),
    );
  }

  close(): void {
    this.abort.abort();
  }
}

const apply = (program: string, hospital: string, patient: string) =>
  [
    'cases.submit',
    { program, hospital },
    { patient: { kind: 'cn', id: patient }, declared: { householdIncomePerCapita: '1000000' } },
  ] as const;

describe('the events stream', () => {
  let n: AidNode;
  before(async () => {
    n = await startAidNode({ server: { events: { perKey: 2, total: 50, keepAliveMs: 20_000 } } });
    assert.ok((await n.send('city-bureau/manager-1', 'programs.publish', programSpec('ev'))).ok);
    assert.ok((await n.send('applicant/ev-a', 'accounts.register', { lang: 'en' })).ok);
  });
  after(() => n.close());

  it('tells each screen what changed that it may see, and nothing else', async () => {
    const general = await Stream.open(n, 'general-hospital/clerk-1');
    const children = await Stream.open(n, 'children-hospital/clerk-1');
    const family = await Stream.open(n, 'applicant/ev-a');
    const reviewer = await Stream.open(n, 'city-bureau/reviewer-1');
    try {
      const [type, payload, facts] = apply('ev', 'general-hospital', cnId(501));
      const own = await n.send('applicant/ev-a', type, payload, facts);
      assert.ok(own.ok);
      const [t2, p2, f2] = apply('ev', 'children-hospital', cnId(502));
      const other = await n.send('children-hospital/social-worker-1', t2, p2, f2);
      assert.ok(other.ok);

      const told = (s: Stream, id: string) =>
        s.next((e) => e.event === 'changes' && e.data.changes!.some((c) => c.id === id));
      const e = await told(general, own.id);
      assert.deepEqual(e.data.changes, [
        { domain: 'aid', kind: 'case', id: own.id, state: 'submitted' },
      ]);
      assert.equal(e.data.height, n.node.ledger.tx(own.id)!.height);
      await told(family, own.id);
      await told(children, other.id);
      // The program's reviewer sees both; each hospital and the family only their own.
      await told(reviewer, own.id);
      await told(reviewer, other.id);
      assert.ok(!general.cases().has(other.id));
      assert.ok(!children.cases().has(own.id));
      assert.ok(!family.cases().has(other.id));
      // Changes name records, never their contents.
      assert.doesNotMatch(JSON.stringify(general.events), /1000000|110105/);
    } finally {
      for (const s of [general, children, family, reviewer]) s.close();
    }
  });

  it('is followed by the SDK as a web app follows it, until the screen leaves', async () => {
    const abort = new AbortController();
    const seen: Change[] = [];
    let ready = -1;
    let told: () => void = () => undefined;
    const gotIt = new Promise<void>((r) => (told = r));
    const following = followEvents(
      n.url,
      await n.token('applicant/ev-a'),
      {
        ready: (h) => (ready = h),
        changes: (_h, changes) => {
          seen.push(...changes);
          told();
        },
      },
      abort.signal,
    );
    const [type, payload, facts] = apply('ev', 'general-hospital', cnId(503));
    // Wait until the stream is live before the block it should hear of.
    while (ready < 0) await new Promise((r) => setTimeout(r, 20));
    const sub = await n.send('applicant/ev-a', type, payload, facts);
    assert.ok(sub.ok);
    await gotIt;
    assert.deepEqual(seen, [{ domain: 'aid', kind: 'case', id: sub.id, state: 'submitted' }]);
    abort.abort();
    await following; // resolves once the screen leaves
  });

  it('ends a revoked member’s stream at the block that revokes them', async () => {
    const s = await Stream.open(n, 'east-hospital/clerk-1');
    const r = await n.send('east-hospital/admin', 'membership.revoke', {
      member: 'east-hospital/clerk-1',
    });
    assert.ok(r.ok, JSON.stringify(r));
    const out = await s.next((e) => e.event === 'signed-out');
    assert.deepEqual(out.data, { reason: 'revoked' });
    await s.next(() => s.ended);
  });

  it('is for signed-in readers only, and bounded per key', async () => {
    assert.equal((await fetch(`${n.url}/v1/events`)).status, 401);
    const bad = await fetch(`${n.url}/v1/events`, { headers: { authorization: 'Bearer x.y' } });
    assert.equal(bad.status, 401);
    const a = await Stream.open(n, 'city-bureau/finance-1');
    const b = await Stream.open(n, 'city-bureau/finance-1');
    try {
      const c = await fetch(`${n.url}/v1/events`, {
        headers: { authorization: `Bearer ${await n.token('city-bureau/finance-1')}` },
      });
      assert.equal(c.status, 429);
      assert.equal(((await c.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED');
    } finally {
      a.close();
      b.close();
    }
    // Closed streams free their places.
    await new Promise((r) => setTimeout(r, 200));
    (await Stream.open(n, 'city-bureau/finance-1')).close();
  });
});

describe('an event stream whose token expires', () => {
  let offset = 0;
  let n: AidNode;
  before(async () => {
    n = await startAidNode({ clock: () => Date.now() + offset });
  });
  after(() => n.close());

  it('ends with signed-out when the token expires, so the screen signs in again', async () => {
    await n.token('city-bureau/finance-1');
    // The token is 15 minutes old but for a second and a half.
    offset = 15 * 60_000 - 1_500;
    const s = await Stream.open(n, 'city-bureau/finance-1');
    const out = await s.next((e) => e.event === 'signed-out', 10_000);
    assert.deepEqual(out.data, { reason: 'expired' });
    await s.next(() => s.ended);
    const late = await fetch(`${n.url}/v1/events`, {
      headers: { authorization: `Bearer ${await n.token('city-bureau/finance-1')}` },
    });
    assert.equal(late.status, 401);
  });
});
