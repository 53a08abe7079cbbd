/**
 * Enrolment by invitation, kept by the administrator's own node and never on the ledger: an
 * administrator makes a one-time, expiring invitation for a member name and roles its organisation
 * may hold; whoever holds the link makes a key on their device and answers with the key and its
 * proof of possession for `<org>/<name>`; the administrator then signs `membership.enrol` with that
 * key and proof, which the contract checks again. The node stores a SHA-256 hash of the link's
 * secret, never the secret (it travels in the link's fragment, so no server log sees it), and
 * nothing personal: a name, roles, times and, once answered, a public key.
 *
 * The table lives in the node's SQLite file beside the ledger, outside its state and log: it is
 * this node's record alone, not replicated to the consortium and not part of `verify`. Rows are
 * forgotten 30 days after they were made.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AidError } from '../../core/errors.js';
import { verifyHex } from '../../runtime/node-ed25519.js';
import type { OrgRecord } from './contracts/membership.js';
import type { MembershipQueries } from './model.js';
import { possessionText } from './possession.js';
import type { InvitationOffer, InvitationView } from './types.js';

export const INVITATION_SCHEMA = `
CREATE TABLE IF NOT EXISTS membership_invitations (
  id TEXT PRIMARY KEY,
  org TEXT NOT NULL,
  name TEXT NOT NULL,
  roles TEXT NOT NULL,
  secret_hash BLOB NOT NULL,
  created INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  expires INTEGER NOT NULL,
  revoked INTEGER,
  requested INTEGER,
  key TEXT,
  pop TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS membership_invitations_org ON membership_invitations (org, created);
CREATE INDEX IF NOT EXISTS membership_invitations_created ON membership_invitations (created);
CREATE INDEX IF NOT EXISTS membership_invitations_key ON membership_invitations (key);
`;

/** How long an invitation may stay open: at least an hour, at most 14 days (default 3). */
export const INVITATION_HOURS = { min: 1, max: 14 * 24, default: 72 } as const;
/** Unused, unexpired invitations an organisation may have at once. */
export const MAX_OPEN_INVITATIONS = 100;
/** Rows are forgotten this long after they were made. */
export const INVITATION_RETENTION_MS = 30 * 24 * 3_600_000;
/** The invitations an administrator's list shows, newest first. */
const LIST_LIMIT = 500;

/** `<id>.<secret>`: 16 hex characters, a dot, 32 random bytes in base64url. */
export const INVITATION_TOKEN = /^([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

interface Row {
  id: string;
  org: string;
  name: string;
  roles: string;
  secret_hash: Buffer;
  created: number;
  created_by: string;
  expires: number;
  revoked: number | null;
  requested: number | null;
  key: string | null;
  pop: string | null;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

export class Invitations {
  private readonly st;

  constructor(
    db: Database.Database,
    private readonly q: MembershipQueries,
    private readonly chain: string,
    private readonly now: () => number,
  ) {
    db.exec(INVITATION_SCHEMA);
    this.st = {
      insert: db.prepare<[Row]>(
        `INSERT INTO membership_invitations
           (id, org, name, roles, secret_hash, created, created_by, expires, revoked, requested, key, pop)
         VALUES (@id, @org, @name, @roles, @secret_hash, @created, @created_by, @expires, @revoked, @requested, @key, @pop)`,
      ),
      get: db.prepare<[string], Row>('SELECT * FROM membership_invitations WHERE id = ?'),
      byOrg: db.prepare<[string, number], Row>(
        'SELECT * FROM membership_invitations WHERE org = ? ORDER BY created DESC, id LIMIT ?',
      ),
      openCount: db
        .prepare<[string, number], number>(
          `SELECT count(*) FROM membership_invitations
           WHERE org = ? AND revoked IS NULL AND requested IS NULL AND expires > ?`,
        )
        .pluck(),
      sameName: db
        .prepare<[string, string, number], string>(
          `SELECT id FROM membership_invitations
           WHERE org = ? AND name = ? AND revoked IS NULL AND (requested IS NOT NULL OR expires > ?)`,
        )
        .pluck(),
      request: db.prepare<[string, string, number, string]>(
        `UPDATE membership_invitations SET key = ?, pop = ?, requested = ?
         WHERE id = ? AND requested IS NULL AND revoked IS NULL`,
      ),
      revoke: db.prepare<[number, string]>(
        'UPDATE membership_invitations SET revoked = ? WHERE id = ? AND revoked IS NULL',
      ),
      keyTaken: db
        .prepare<[string], string>(
          'SELECT id FROM membership_invitations WHERE key = ? AND revoked IS NULL',
        )
        .pluck(),
      prune: db.prepare<[number]>('DELETE FROM membership_invitations WHERE created < ?'),
    };
  }

  private view(r: Row): InvitationView {
    const now = this.now();
    const m = r.key === null ? undefined : this.q.member(`${r.org}/${r.name}`);
    const status: InvitationView['status'] =
      m !== undefined && m.key === r.key
        ? 'enrolled'
        : r.revoked !== null
          ? 'revoked'
          : r.requested !== null
            ? 'requested'
            : r.expires <= now
              ? 'expired'
              : 'open';
    return {
      id: r.id,
      org: r.org,
      name: r.name,
      roles: JSON.parse(r.roles) as string[],
      status,
      created: r.created,
      createdBy: r.created_by,
      expires: r.expires,
      ...(r.requested === null ? {} : { requested: r.requested }),
      ...(r.key === null ? {} : { key: r.key }),
      ...(r.pop === null ? {} : { pop: r.pop }),
    };
  }

  private orgOf(id: string): OrgRecord {
    return this.q.org(id) ?? failNotFound(`no organisation ${id}`);
  }

  /** Refuses any role the organisation may not hold now. @throws AidError ROLE_NOT_ALLOWED. */
  private checkRoles(org: OrgRecord, roles: readonly string[]): void {
    const allowed = this.q.allowedRoles(org);
    const bad = roles.filter((r) => !allowed.has(r));
    if (bad.length > 0)
      throw new AidError(
        'ROLE_NOT_ALLOWED',
        `a ${org.type} organisation may not hold ${bad.join(', ')}`,
        { details: { roles: bad } },
      );
  }

  /**
   * A new invitation of `admin`'s organisation. Returns it with its token, which is shown once
   * and never stored. @throws AidError ROLE_NOT_ALLOWED, ALREADY_EXISTS (the name is a member's,
   * or another live invitation's), TOO_MANY (too many open invitations).
   */
  create(
    admin: { org: string; member: string },
    p: { name: string; roles: readonly string[]; hours: number },
  ): { invitation: InvitationView; token: string } {
    const now = this.now();
    this.st.prune.run(now - INVITATION_RETENTION_MS);
    const org = this.orgOf(admin.org);
    this.checkRoles(org, p.roles);
    if (this.q.member(`${org.id}/${p.name}`) !== undefined)
      throw new AidError('ALREADY_EXISTS', `member ${org.id}/${p.name} exists`);
    if (this.st.sameName.get(org.id, p.name, now) !== undefined)
      throw new AidError('ALREADY_EXISTS', `an invitation for ${org.id}/${p.name} is still live`);
    if ((this.st.openCount.get(org.id, now) ?? 0) >= MAX_OPEN_INVITATIONS)
      throw new AidError(
        'TOO_MANY',
        `at most ${MAX_OPEN_INVITATIONS} open invitations an organisation; revoke some`,
      );
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const row: Row = {
      id,
      org: org.id,
      name: p.name,
      roles: JSON.stringify(p.roles),
      secret_hash: hashSecret(secret),
      created: now,
      created_by: admin.member,
      expires: now + p.hours * 3_600_000,
      revoked: null,
      requested: null,
      key: null,
      pop: null,
    };
    this.st.insert.run(row);
    return { invitation: this.view(row), token: `${id}.${secret}` };
  }

  /** The organisation's invitations, newest first. */
  list(org: string): InvitationView[] {
    return this.st.byOrg.all(org, LIST_LIMIT).map((r) => this.view(r));
  }

  /**
   * Where an answered invitation stands, for the page that answered it (which alone knows the
   * key it sent): `requested` until the administrator signs, then `enrolled` (or `revoked`).
   * @throws AidError NOT_FOUND unless the invitation was answered with this key.
   */
  answerStatus(id: string, key: string): InvitationView['status'] {
    const r = this.st.get.get(id);
    if (r === undefined || r.key !== key) failNotFound('no invitation answered with this key');
    return this.view(r).status;
  }

  /**
   * Revokes an invitation of the administrator's organisation that has not led to an enrolment.
   * @throws AidError NOT_FOUND (none such in this organisation), INVALID_STATE (already enrolled
   * or revoked).
   */
  revoke(org: string, id: string): InvitationView {
    const r = this.st.get.get(id);
    if (r === undefined || r.org !== org) failNotFound('no such invitation in your organisation');
    const status = this.view(r).status;
    if (status === 'enrolled' || status === 'revoked')
      throw new AidError('INVALID_STATE', `the invitation is ${status}`);
    this.st.revoke.run(this.now(), id);
    return this.view(this.st.get.get(id)!);
  }

  /**
   * The invitation a token opens, if it can still be answered.
   * @throws AidError NOT_FOUND (no such invitation, or a wrong secret: the same answer),
   * INVITATION_REVOKED, INVITATION_USED, INVITATION_EXPIRED, ROLE_NOT_ALLOWED (the organisation
   * lost a role since).
   */
  private live(token: string): { row: Row; org: OrgRecord } {
    const m = INVITATION_TOKEN.exec(token);
    if (!m) throw new AidError('BAD_REQUEST', 'not an invitation link');
    const r = this.st.get.get(m[1]!);
    const given = hashSecret(m[2]!);
    if (r === undefined || !timingSafeEqual(given, r.secret_hash))
      failNotFound('no such invitation: check the link, or ask for a new one');
    if (r.revoked !== null) throw new AidError('INVITATION_REVOKED', 'the invitation was revoked');
    if (r.requested !== null)
      throw new AidError('INVITATION_USED', 'the invitation was already used');
    if (r.expires <= this.now())
      throw new AidError('INVITATION_EXPIRED', 'the invitation has expired; ask for a new one', {
        details: { expired: r.expires },
      });
    const org = this.orgOf(r.org);
    this.checkRoles(org, JSON.parse(r.roles) as string[]);
    return { row: r, org };
  }

  /** What an invitation offers, for the page its link opens. */
  offer(token: string): InvitationOffer {
    const { row, org } = this.live(token);
    return {
      chain: this.chain,
      org: org.id,
      orgNames: org.names,
      orgType: org.type,
      name: row.name,
      holder: `${org.id}/${row.name}`,
      roles: JSON.parse(row.roles) as string[],
      expires: row.expires,
    };
  }

  /**
   * Answers an invitation with a new key and its proof of possession for `<org>/<name>`: the
   * invitation is used up, and its administrators may sign the enrolment.
   * @throws AidError as `offer`, and KEY_IN_USE (someone holds the key, or another invitation
   * names it), NO_POSSESSION (the proof does not verify).
   */
  accept(token: string, key: string, pop: string): { holder: string; requested: number } {
    const { row, org } = this.live(token);
    const holder = `${org.id}/${row.name}`;
    if (!verifyHex(key, possessionText(this.chain, holder, key), pop))
      throw new AidError(
        'NO_POSSESSION',
        `the key did not sign its proof of possession for ${holder}`,
      );
    let held = true;
    try {
      this.q.keyHolder(key);
    } catch {
      held = false;
    }
    if (held || this.st.keyTaken.get(key) !== undefined)
      throw new AidError('KEY_IN_USE', 'that key is already held; make a new one');
    const now = this.now();
    // One answer only: the update takes the row only while nobody has answered it.
    if (this.st.request.run(key, pop, now, row.id).changes !== 1)
      throw new AidError('INVITATION_USED', 'the invitation was already used');
    return { holder, requested: now };
  }
}

function failNotFound(message: string): never {
  throw new AidError('NOT_FOUND', message);
}
