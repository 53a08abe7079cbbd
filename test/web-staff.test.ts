/**
 * The staff workspace in a real browser against a node holding the whole demo: an administrator
 * imports the key the `aidledger keys new` command made and signs in; invites a new reviewer, who
 * answers the link in another browser (a key made and sealed there, proven for its member id);
 * the administrator compares the fingerprint and signs the enrolment, and the reviewer's page
 * signs in by itself and shows the reviewer's queue and a case's history. The link cannot be used
 * twice; a revoked member is refused sign-in. A case page follows a review made elsewhere without a
 * reload, and reads nothing while nothing changes (the events stream, not polling). Every staff page is axe-clean in the three
 * languages at phone and desktop size, with no console error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../src/core/canonical.js';
import { buildSubmission } from '../src/sdk/build.js';
import { get, post, pubOf, seedOf } from './helpers.js';
import { DESKTOP, openPage, PHONE, webSuite, type OpenPage } from './web-fixture.js';
import {
  importAndSignIn as signInWith,
  inLanguage,
  LANGUAGES,
  docScreenshot,
  noViolations,
  waitForCount,
  writeKeyFile,
} from './web-staff-helpers.js';

const ADMIN_PASS = 'granite orchard beacon 77';
const REVIEWER_PASS = 'copper meadow lantern 19';

describe('staff workspace', () => {
  const web = webSuite();
  let files: string;
  /** Key files as `aidledger keys new --member` writes them, for demo members. */
  const keyFile = (member: string, label = member) => writeKeyFile(files, member, label);

  /** Signs in on `/staff` by importing a command-made key file and sealing it here. */
  const importAndSignIn = (p: OpenPage, path: string, pass: string) =>
    signInWith(p, web.node.url, path, pass);

  before(() => {
    files = mkdtempSync(join(tmpdir(), 'aidledger-web-staff-'));
  });
  after(() => {
    if (files) rmSync(files, { recursive: true, force: true });
  });

  let admin: OpenPage;
  let reviewer: OpenPage;
  let link = '';

  it(
    'imports a command-made key, invites a reviewer who enrols from another browser and works at once',
    { timeout: 240_000 },
    async () => {
      admin = await openPage(web.browser, { viewport: DESKTOP });
      await importAndSignIn(admin, keyFile('city-bureau/admin'), ADMIN_PASS);
      const a = admin.page;
      assert.match(await a.getByTestId('signed-in-as').innerText(), /city-bureau\/admin/);
      // An administrator without a case queue lands on the administration.
      await a.waitForURL(/\/staff\/admin$/);
      await a.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();

      await a.getByTestId('invite-name').fill('reviewer-web');
      await a.getByTestId('invite-roles-reviewer').check();
      await a.getByTestId('invite-submit').click();
      await a.getByTestId('invite-made').waitFor();
      link = await a.getByTestId('invite-link').inputValue();
      assert.match(link, /\/staff\/join#[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
      assert.equal(
        await a.getByTestId('invitation-reviewer-web').getByTestId('invitation-status').innerText(),
        'Open',
      );

      // The new reviewer, in a browser of their own, on a phone.
      reviewer = await openPage(web.browser, { viewport: PHONE });
      const r = reviewer.page;
      await r.goto(link);
      await r.getByTestId('offer').waitFor();
      assert.match(await r.getByTestId('offer').innerText(), /city-bureau\/reviewer-web/);
      await noViolations(r, 'the invitation at 360 px');
      await r.getByTestId('join-passphrase').fill(REVIEWER_PASS);
      await r.getByTestId('join-confirm').fill(REVIEWER_PASS);
      await r.getByTestId('join-submit').click();
      await r.getByTestId('join-sent').waitFor({ timeout: 20_000 });
      const fingerprint = await r.getByTestId('join-fingerprint').innerText();
      await noViolations(r, 'the answered invitation at 360 px');

      // The administrator sees the request with the same fingerprint and signs the enrolment.
      await a.getByTestId('refresh-requests').click();
      const request = a.getByTestId('request-reviewer-web');
      await request.waitFor();
      assert.equal(await request.getByTestId('request-fingerprint').innerText(), fingerprint);
      await noViolations(a, 'the administration with a request to sign');
      await docScreenshot(a, 'staff-admin');
      await request.getByTestId('sign-enrolment').click();
      await a.getByTestId('no-requests').waitFor({ timeout: 20_000 });
      await a
        .getByTestId('invitation-reviewer-web')
        .getByTestId('invitation-status')
        .getByText('Enrolled')
        .waitFor();

      // The reviewer's page notices the enrolment and opens the reviewer's queue.
      await r.waitForURL(/\/staff\/queue$/, { timeout: 30_000 });
      assert.match(await r.getByTestId('signed-in-as').innerText(), /city-bureau\/reviewer-web/);
      await r.getByTestId('role-reviewer').first().waitFor();
      await r.getByTestId('queue-table').waitFor();
      const rows = await r.getByTestId('queue-row').count();
      assert.ok(rows > 0, 'assessed or appealed cases of the bureau wait for review');
      const badge = await r.getByTestId('queue-all').innerText();
      assert.match(badge, /All waiting \(\d+\)/);
      await noViolations(r, 'the reviewer’s queue at 360 px');
      await docScreenshot(r, 'staff-queue-phone');

      // Search by the first digits of a case number, then open it: its whole history.
      const first = r.getByTestId('queue-row').first().getByRole('link');
      const short = await first.innerText();
      await r.getByTestId('queue-search').fill(short);
      await r.getByRole('button', { name: 'Find' }).click();
      await waitForCount(r.getByTestId('queue-row'), 1);
      // The row names the case by the reference a person reads aloud; searching by it, as typed
      // (lower case, no dashes), finds the same case.
      const reference = (await r.getByTestId('queue-reference').innerText()).trim();
      assert.match(reference, /^AL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      await r.getByTestId('queue-search').fill(reference.replace(/-/g, '').toLowerCase());
      await r.getByRole('button', { name: 'Find' }).click();
      await waitForCount(r.getByTestId('queue-row'), 1);
      assert.equal((await r.getByTestId('queue-row').getByRole('link').innerText()).trim(), short);
      await r.getByTestId('queue-row').getByRole('link').click();
      await r.getByTestId('case-history').waitFor();
      assert.ok((await r.getByTestId('case-history').locator('li').count()) >= 3);
      assert.match(await r.getByTestId('case-summary').innerText(), new RegExp(short));
      assert.equal((await r.getByTestId('case-reference').innerText()).trim(), reference);
      await noViolations(r, 'a case at 360 px');
      assert.deepEqual(reviewer.errors, []);
      assert.deepEqual(admin.errors, []);
    },
  );

  it('refuses the same invitation a second time', { timeout: 60_000 }, async () => {
    const third = await openPage(web.browser, { viewport: DESKTOP });
    await third.page.goto(link);
    const refused = third.page.getByTestId('join-refused');
    await refused.waitFor();
    assert.match(await refused.innerText(), /already been used/);
    await noViolations(third.page, 'a used invitation');
    // The browser logs the node's refusal itself; nothing else may reach the console.
    assert.ok(third.errors.some((e) => /status of 409 \(Conflict\)/.test(e)));
    assert.deepEqual(
      third.errors.filter((e) => !/status of 409 \(Conflict\)/.test(e)),
      [],
    );
    await third.context.close();
  });

  it('refuses sign-in to a member the administrator revoked', { timeout: 120_000 }, async () => {
    const a = admin.page;
    const row = a.getByTestId('member-city-bureau/reviewer-web');
    await row.getByTestId('revoke-member').click();
    await a.getByTestId('confirm-revoke').click();
    await row.getByText('Revoked').waitFor({ timeout: 20_000 });

    // The reviewer's open tab learns of it from the events stream and locks itself.
    const r = reviewer.page;
    await r.getByTestId('staff-passphrase').waitFor({ timeout: 20_000 });
    assert.equal(await r.getByTestId('signed-in-as').count(), 0);
    await r.getByTestId('staff-passphrase').fill(REVIEWER_PASS);
    await r.getByTestId('staff-unlock').click();
    const refused = r.getByTestId('sign-in-refused');
    await refused.waitFor({ timeout: 20_000 });
    assert.match(await refused.innerText(), /not an active member’s key/);
    assert.equal(await r.getByTestId('signed-in-as').count(), 0);
    // The refused sign-in is the node's 401, which the browser logs itself; nothing else.
    assert.ok(reviewer.errors.some((e) => /status of 401 \(Unauthorized\)/.test(e)));
    assert.deepEqual(
      reviewer.errors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e)),
      [],
    );
    assert.deepEqual(admin.errors, []);
    await reviewer.context.close();
    await admin.context.close();
  });

  it(
    'rotates a member’s key from the key page; the old key no longer signs in',
    { timeout: 120_000 },
    async () => {
      const p = await openPage(web.browser, { viewport: DESKTOP });
      await importAndSignIn(p, keyFile('hope-foundation/finance-1'), ADMIN_PASS);
      await p.page.getByRole('link', { name: 'My key' }).click();
      const before = await p.page.getByTestId('my-fingerprint').innerText();
      await p.page.getByTestId('rotate-passphrase').fill(REVIEWER_PASS);
      await p.page.getByTestId('rotate-confirm').fill(REVIEWER_PASS);
      await p.page.getByTestId('rotate-submit').click();
      await p.page.getByTestId('rotated').waitFor({ timeout: 30_000 });
      const afterwards = await p.page.getByTestId('my-fingerprint').innerText();
      assert.notEqual(afterwards, before);
      // Locked and unlocked again: the new key, sealed under the new passphrase, signs in.
      await p.page.getByTestId('staff-lock').click();
      await p.page.getByTestId('staff-passphrase').fill(REVIEWER_PASS);
      await p.page.getByTestId('staff-unlock').click();
      await p.page.getByTestId('signed-in-as').waitFor({ timeout: 20_000 });
      // The node says the old key is revoked.
      const old = await fetch(`${web.node.url}/v1/keys/${pubOf('hope-foundation/finance-1')}`);
      assert.equal(((await old.json()) as { status: string }).status, 'revoked');
      assert.deepEqual(p.errors, []);
      await p.context.close();
    },
  );

  it(
    'follows a review made elsewhere on an open case page without a reload, and does not poll',
    { timeout: 180_000 },
    async () => {
      const p = await openPage(web.browser, { viewport: DESKTOP });
      await importAndSignIn(p, keyFile('city-bureau/reviewer-2'), ADMIN_PASS);
      const reads: string[] = [];
      p.page.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/v1/cases')) reads.push(path);
      });
      const assessed = (await get(web.node.url, '/v1/public/cases?state=assessed&limit=200'))
        .json as { cases: { id: string }[] };
      let nonce = 0;
      let reviewed: string | undefined;
      for (const c of assessed.cases) {
        await p.page.evaluate(
          `window.history.pushState({}, '', '/staff/cases/${c.id}'); dispatchEvent(new PopStateEvent('popstate'))`,
        );
        const history = p.page.getByTestId('case-history');
        await history.waitFor();
        const items = await history.locator('li').count();
        if (nonce === 0) {
          // Nothing is read again while nothing changes (longer than the reads stay fresh): no
          // polling.
          const before = reads.length;
          await new Promise((r) => setTimeout(r, 12_000));
          assert.deepEqual(reads.slice(before), [], 'no reads while the case stood still');
        }
        // Another reviewer of the bureau reviews it, through the API.
        const sub = buildSubmission(
          {
            chain: web.node.chain,
            type: 'cases.review',
            payload: { case: c.id, approve: true, reason: 'criteria-met' },
            nonce: `live-${++nonce}`,
          },
          seedOf('city-bureau/reviewer-1#3'),
        );
        const r = await post(web.node.url, '/v1/tx', canonicalJson(sub));
        assert.equal(r.status, 200, JSON.stringify(r.json));
        if (!(r.json as { result: { ok: boolean } }).result.ok) continue;
        // The open page shows the review without a reload.
        await history.locator('li').nth(items).waitFor({ timeout: 20_000 });
        reviewed = c.id;
        break;
      }
      assert.ok(reviewed, 'a case of the bureau waited for a review reviewer-1 could make');
      assert.ok(
        reads.includes(`/v1/cases/${reviewed}`),
        'the case was read again after the block that changed it',
      );
      assert.deepEqual(p.errors, []);
      await p.context.close();
    },
  );

  it(
    'has no axe violation on any staff page, in three languages, at 360 px and desktop',
    { timeout: 420_000 },
    async () => {
      for (const viewport of [DESKTOP, PHONE]) {
        // Signed out: the sign-in without a key, and an invitation link.
        const out = await openPage(web.browser, { viewport });
        const adminNew = await openPage(web.browser, { viewport });
        await importAndSignIn(adminNew, keyFile('east-hospital/admin'), ADMIN_PASS);
        await adminNew.page.getByTestId('invite-name').fill(`clerk-${viewport.width}`);
        await adminNew.page.getByTestId('invite-roles-clerk').check();
        await adminNew.page.getByTestId('invite-submit').click();
        await adminNew.page.getByTestId('invite-made').waitFor();
        const invite = await adminNew.page.getByTestId('invite-link').inputValue();
        const member = await openPage(web.browser, { viewport });
        await importAndSignIn(member, keyFile('city-bureau/reviewer-2'), ADMIN_PASS);

        const checks: [OpenPage, string][] = [
          [out, '/staff'],
          [out, invite.slice(web.node.url.length)],
          [adminNew, '/staff/admin'],
          [adminNew, '/staff/key'],
          [member, '/staff/queue'],
          [member, '/staff/key'],
          [member, '/staff/admin'],
        ];
        for (const [p, path] of checks) {
          // A reload locks the tab: move within the app instead once signed in.
          if (path.startsWith('/staff/join') || p === out) await p.page.goto(web.node.url + path);
          else
            await p.page.evaluate(
              `window.history.pushState({}, '', '${path}'); dispatchEvent(new PopStateEvent('popstate'))`,
            );
          await p.page.getByRole('heading', { level: 1 }).waitFor();
          for (const l of LANGUAGES) {
            await p.page.getByTestId('language').selectOption(l);
            await inLanguage(p.page, l);
            await noViolations(p.page, `${path} in ${l} at ${viewport.width} px`);
          }
        }
        // A case page, opened from the queue.
        await member.page.evaluate(
          `window.history.pushState({}, '', '/staff/queue'); dispatchEvent(new PopStateEvent('popstate'))`,
        );
        await member.page.getByTestId('queue-row').first().getByRole('link').click();
        await member.page.getByTestId('case-history').waitFor();
        for (const l of LANGUAGES) {
          await member.page.getByTestId('language').selectOption(l);
          await inLanguage(member.page, l);
          await noViolations(member.page, `a case in ${l} at ${viewport.width} px`);
        }
        for (const p of [out, adminNew, member]) {
          assert.deepEqual(p.errors, [], `console at ${viewport.width} px`);
          await p.context.close();
        }
      }
    },
  );
});
