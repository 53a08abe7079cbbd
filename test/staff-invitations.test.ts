/**
 * Enrolment by invitation over real HTTP against a real node, with the node's clock in the test's
 * hand: an administrator invites, the link's holder answers with a proven key, the administrator
 * signs the enrolment and the new member signs in at once; every refusal of the invitation routes
 * has its code (used twice, expired, revoked, a role the organisation may not hold, a wrong
 * secret, a bad proof, a key already held, a caller who is not an administrator), and the public
 * routes are bounded per client address.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../src/core/canonical.js';
import { publicKeyFromSeed, randomSeed } from '../src/core/ed25519.js';
import { toHex } from '../src/core/bytes.js';
import { signIn } from '../src/domains/aid/client.js';
import { proveKey } from '../src/domains/membership/possession.js';
import { INVITATION_ANSWERS_PER_ADDRESS_PER_HOUR } from '../src/domains/membership/routes.js';
import { buildSubmission } from '../src/sdk/build.js';
import { post, seedOf, startNode, type TestNode } from './helpers.js';

let offset = 0;
const clock = () => Date.now() + offset;

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { error?: { code: string; details?: Record<string, unknown> } };
}

describe('enrolment by invitation', () => {
  let t: TestNode;
  let adminToken = '';
  let nonce = 0;

  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<Answer> {
    const res = await fetch(t.url + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Answer['json'] };
  }

  const invite = (spec: Record<string, unknown>, token = adminToken) =>
    call('POST', '/v1/invitations', spec, token);

  function refused(a: Answer, status: number, code: string) {
    assert.equal(a.status, status, JSON.stringify(a.json));
    assert.equal(a.json.error?.code, code);
  }

  /** Submits a transaction signed with `seed`; returns its result. */
  async function submit(seed: Uint8Array, type: string, payload: Record<string, unknown>) {
    const sub = buildSubmission(
      { chain: t.chain, type, payload, nonce: `inv-${++nonce}`, time: clock() },
      seed,
    );
    const r = await post(t.url, '/v1/tx', canonicalJson(sub));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return (r.json as { result: { ok: boolean; code?: string } }).result;
  }

  before(async () => {
    t = await startNode({ clock });
    adminToken = await signIn(t.client, t.chain, seedOf('city-bureau/admin'));
  });
  after(async () => {
    await t?.close();
  });

  it('invites a reviewer who answers with a proven key, is enrolled and signs in at once', async () => {
    const made = await invite({ name: 'reviewer-new', roles: ['reviewer'], hours: 24 });
    assert.equal(made.status, 200, JSON.stringify(made.json));
    const { token, invitation } = made.json as { token: string; invitation: { id: string } };
    assert.match(token, /^[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);

    const offer = await call('POST', '/v1/invitations/open', { token });
    assert.equal(offer.status, 200);
    assert.equal(offer.json.holder, 'city-bureau/reviewer-new');
    assert.deepEqual(offer.json.roles, ['reviewer']);
    assert.equal(offer.json.chain, t.chain);

    const seed = randomSeed();
    const key = toHex(publicKeyFromSeed(seed));
    const pop = proveKey(t.chain, 'city-bureau/reviewer-new', seed);
    const answer = await call('POST', '/v1/invitations/accept', { token, key, pop });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));

    // Used once: a second answer, even with another key, and a second look are refused.
    const other = randomSeed();
    refused(
      await call('POST', '/v1/invitations/accept', {
        token,
        key: toHex(publicKeyFromSeed(other)),
        pop: proveKey(t.chain, 'city-bureau/reviewer-new', other),
      }),
      409,
      'INVITATION_USED',
    );
    refused(await call('POST', '/v1/invitations/open', { token }), 409, 'INVITATION_USED');

    // The answering device follows its answer; nobody without the key learns anything.
    const answerOf = (k: string) => call('GET', `/v1/invitations/${invitation.id}/answer/${k}`);
    assert.deepEqual((await answerOf(key)).json, { status: 'requested' });
    refused(await answerOf(toHex(publicKeyFromSeed(other))), 404, 'NOT_FOUND');

    // Not a member yet: the key cannot sign in.
    await assert.rejects(signIn(t.client, t.chain, seed), { code: 'UNAUTHORIZED' });

    const listed = await call('GET', '/v1/invitations', undefined, adminToken);
    const row = (listed.json.invitations as Record<string, unknown>[]).find(
      (i) => i.id === invitation.id,
    )!;
    assert.equal(row.status, 'requested');
    assert.equal(row.key, key);
    assert.equal(row.pop, pop);
    // Nothing of the secret is ever served back.
    assert.ok(!JSON.stringify(listed.json).includes(token.split('.')[1]!));

    // The administrator signs the enrolment with the key and proof the invitation holds.
    const result = await submit(seedOf('city-bureau/admin'), 'membership.enrol', {
      name: 'reviewer-new',
      roles: ['reviewer'],
      key,
      pop,
    });
    assert.deepEqual(result, { ok: true });
    const after = await call('GET', '/v1/invitations', undefined, adminToken);
    assert.equal(
      (after.json.invitations as { id: string; status: string }[]).find(
        (i) => i.id === invitation.id,
      )?.status,
      'enrolled',
    );

    assert.deepEqual((await answerOf(key)).json, { status: 'enrolled' });
    const memberToken = await signIn(t.client, t.chain, seed);
    const me = await call('GET', '/v1/me', undefined, memberToken);
    assert.deepEqual(me.json.viewer, {
      key,
      member: 'city-bureau/reviewer-new',
      org: 'city-bureau',
      orgType: 'government',
      roles: ['reviewer'],
    });
    const cases = await call('GET', '/v1/cases?limit=5', undefined, memberToken);
    assert.equal(cases.status, 200);

    // A member who is not an administrator may neither invite nor list.
    refused(await invite({ name: 'x', roles: ['clerk'] }, memberToken), 403, 'FORBIDDEN');
    refused(await call('GET', '/v1/invitations', undefined, memberToken), 403, 'FORBIDDEN');
    refused(await call('GET', '/v1/members', undefined, memberToken), 403, 'FORBIDDEN');

    // The administrator's list of members shows the new one; revoked, it cannot sign in.
    const members = await call('GET', '/v1/members', undefined, adminToken);
    assert.ok(
      (members.json.members as { id: string }[]).some((m) => m.id === 'city-bureau/reviewer-new'),
    );
    assert.ok((members.json.roles as string[]).includes('reviewer'));
    assert.ok(!(members.json.roles as string[]).includes('regulator'));
    assert.deepEqual(
      await submit(seedOf('city-bureau/admin'), 'membership.revoke', {
        member: 'city-bureau/reviewer-new',
      }),
      { ok: true },
    );
    refused(await call('GET', '/v1/me', undefined, memberToken), 401, 'UNAUTHORIZED');
    await assert.rejects(signIn(t.client, t.chain, seed), { code: 'UNAUTHORIZED' });
  });

  it('refuses a role the organisation may not hold, at creation', async () => {
    // No government body holds regulator without a grant of the consortium.
    refused(await invite({ name: 'inspector', roles: ['regulator'] }), 403, 'ROLE_NOT_ALLOWED');
    // An audit institution's own table has no reviewer.
    const auditAdmin = await signIn(t.client, t.chain, seedOf('audit-office/admin'));
    refused(
      await invite({ name: 'reviewer-a', roles: ['reviewer'] }, auditAdmin),
      403,
      'ROLE_NOT_ALLOWED',
    );
    refused(await invite({ name: 'nobody', roles: ['wizard'] }), 400, 'BAD_REQUEST');
    refused(await invite({ name: 'node', roles: ['clerk'] }), 400, 'BAD_REQUEST');
    refused(await invite({ name: 'x', roles: ['clerk'], hours: 10_000 }), 400, 'BAD_REQUEST');
    // A name already a member's, or another live invitation's.
    refused(await invite({ name: 'admin', roles: ['clerk'] }), 409, 'ALREADY_EXISTS');
    assert.equal((await invite({ name: 'twice', roles: ['clerk'] })).status, 200);
    refused(await invite({ name: 'twice', roles: ['clerk'] }), 409, 'ALREADY_EXISTS');
    // Without a token at all.
    refused(await invite({ name: 'y', roles: ['clerk'] }, ''), 401, 'UNAUTHORIZED');
  });

  it('refuses an expired, a revoked, a forged or a wrongly proven answer', async () => {
    const expiring = (await invite({ name: 'late', roles: ['clerk'], hours: 1 })).json as {
      token: string;
    };
    const revoked = (await invite({ name: 'unwanted', roles: ['clerk'] })).json as {
      token: string;
      invitation: { id: string };
    };
    const fresh = (await invite({ name: 'clerk-new', roles: ['clerk'] })).json as {
      token: string;
    };

    const rv = await call(
      'POST',
      `/v1/invitations/${revoked.invitation.id}/revoke`,
      {},
      adminToken,
    );
    assert.equal(rv.status, 200);
    assert.equal((rv.json.invitation as { status: string }).status, 'revoked');
    refused(
      await call('POST', `/v1/invitations/${revoked.invitation.id}/revoke`, {}, adminToken),
      409,
      'INVALID_STATE',
    );
    refused(
      await call('POST', '/v1/invitations/open', { token: revoked.token }),
      410,
      'INVITATION_REVOKED',
    );
    // Another organisation's administrator cannot revoke it.
    const otherAdmin = await signIn(t.client, t.chain, seedOf('hope-foundation/admin'));
    refused(
      await call('POST', `/v1/invitations/${revoked.invitation.id}/revoke`, {}, otherAdmin),
      404,
      'NOT_FOUND',
    );

    // A wrong secret for a real id, and a malformed token.
    const [id] = fresh.token.split('.');
    refused(
      await call('POST', '/v1/invitations/open', { token: `${id}.${'A'.repeat(43)}` }),
      404,
      'NOT_FOUND',
    );
    refused(await call('POST', '/v1/invitations/open', { token: 'nonsense' }), 400, 'BAD_REQUEST');

    // A proof for another holder, and a key someone already holds.
    const seed = randomSeed();
    const key = toHex(publicKeyFromSeed(seed));
    refused(
      await call('POST', '/v1/invitations/accept', {
        token: fresh.token,
        key,
        pop: proveKey(t.chain, 'city-bureau/someone-else', seed),
      }),
      401,
      'NO_POSSESSION',
    );
    const adminSeed = seedOf('city-bureau/admin');
    refused(
      await call('POST', '/v1/invitations/accept', {
        token: fresh.token,
        key: toHex(publicKeyFromSeed(adminSeed)),
        pop: proveKey(t.chain, 'city-bureau/clerk-new', adminSeed),
      }),
      409,
      'KEY_IN_USE',
    );
    // Neither used it up.
    assert.equal((await call('POST', '/v1/invitations/open', { token: fresh.token })).status, 200);

    // Two hours on, the one-hour invitation has expired.
    offset += 2 * 3_600_000;
    refused(
      await call('POST', '/v1/invitations/open', { token: expiring.token }),
      410,
      'INVITATION_EXPIRED',
    );
    refused(
      await call('POST', '/v1/invitations/accept', {
        token: expiring.token,
        key,
        pop: proveKey(t.chain, 'city-bureau/late', seed),
      }),
      410,
      'INVITATION_EXPIRED',
    );
    // A token lasts 15 minutes: sign in again on the moved clock.
    adminToken = await signIn(t.client, t.chain, seedOf('city-bureau/admin'));
    const list = await call('GET', '/v1/invitations', undefined, adminToken);
    const statuses = Object.fromEntries(
      (list.json.invitations as { name: string; status: string }[]).map((i) => [i.name, i.status]),
    );
    assert.equal(statuses.late, 'expired');
    assert.equal(statuses.unwanted, 'revoked');
    assert.equal(statuses['clerk-new'], 'open');
  });

  it('bounds the answers one address may send', async () => {
    // A fresh hour: earlier answers in this file counted too, so step past them.
    offset = 3 * 3_600_000;
    let last: Answer | undefined;
    for (let i = 0; i <= INVITATION_ANSWERS_PER_ADDRESS_PER_HOUR; i++) {
      last = await call('POST', '/v1/invitations/open', {
        token: `${'0'.repeat(16)}.${'B'.repeat(43)}`,
      });
      if (i < INVITATION_ANSWERS_PER_ADDRESS_PER_HOUR) assert.equal(last.status, 404);
    }
    refused(last!, 429, 'RATE_LIMITED');
    assert.ok(Number(last!.headers.get('retry-after')) > 0);
  });
});
