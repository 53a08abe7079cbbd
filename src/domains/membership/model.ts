/**
 * Reads of the membership state for the API and the other domains: the organisations, who holds
 * a signing key, who signs in with one, and how the consortium governs itself.
 */
import type { KeyHolder } from '../../chain/explorer-types.js';
import { compareUtf8 } from '../../core/bytes.js';
import { AidError } from '../../core/errors.js';
import type { StateView } from '../../runtime/contract.js';
import type { Ledger } from '../../runtime/ledger.js';
import { Overlay } from '../../runtime/overlay.js';
import type { Viewer } from '../../runtime/routes.js';
import { accountKeys, type AccountRecord } from './contracts/accounts.js';
import {
  allowedRoles,
  keys,
  nodeKeyHolder,
  type Config,
  type KeyRecord,
  type MemberRecord,
  type OrgRecord,
  type ProposalRecord,
} from './contracts/membership.js';
import type { Governance, MemberView, OrgView } from './types.js';

export class MembershipQueries {
  private readonly view: StateView;

  constructor(private readonly ledger: Ledger) {
    this.view = new Overlay((k) => ledger.stateGet(k)).readView();
  }

  private scan<T>(prefix: string): T[] {
    return this.ledger
      .stateScan(prefix, Number.MAX_SAFE_INTEGER)
      .map((r) => JSON.parse(r.value) as T);
  }

  org(id: string): OrgRecord | undefined {
    return this.view.get<OrgRecord>(keys.org(id));
  }

  /** A member record by its id (`<org>/<name>`). */
  member(id: string): MemberRecord | undefined {
    return this.view.get<MemberRecord>(keys.member(id));
  }

  /** The roles an organisation may give its members now (its type's table and any grant). */
  allowedRoles(org: OrgRecord): ReadonlySet<string> {
    return allowedRoles(this.view, org);
  }

  /** The members of one organisation, by id, with the roles each signs with now. */
  members(orgId: string): MemberView[] {
    const org = this.org(orgId);
    if (!org) return [];
    const allowed = this.allowedRoles(org);
    return this.scan<MemberRecord>(`membership/member/${orgId}/`)
      .filter((m) => m.org === orgId)
      .map((m) => ({
        id: m.id,
        roles: m.roles,
        effectiveRoles: m.status === 'active' ? m.roles.filter((r) => allowed.has(r)) : [],
        key: m.key,
        status: m.status,
        since: m.since,
      }));
  }

  /** Every organisation, as `GET /v1/orgs` lists them. */
  orgs(): OrgView[] {
    return this.scan<OrgRecord>('membership/org/').map((o) => ({
      id: o.id,
      names: o.names,
      type: o.type,
      nodeKey: o.nodeKey,
      since: o.since,
    }));
  }

  /** The organisation whose current node key this is. */
  nodeOrg(key: string): OrgRecord | undefined {
    // From the first block of protocol 2 the node keys are indexed (and each has one holder);
    // before it, the few organisations are scanned.
    const id = this.view.get<string>(keys.nodeKey(key));
    if (id === undefined && this.ledger.protocolVersionAt(this.ledger.height) < 2)
      return nodeKeyHolder(this.scan<OrgRecord>('membership/org/'), this.ledger.genesis, key);
    const org = id === undefined ? undefined : this.org(id);
    return org?.nodeKey === key ? org : undefined;
  }

  /**
   * Who signs with a public key: a node, a member (with the roles the key signs with now) or an
   * applicant account. @throws AidError NOT_FOUND when nobody does.
   */
  keyHolder(key: string): KeyHolder {
    // A node key is its organisation's alone, whatever a member record claimed under protocol 1.
    const nodeOrg = this.nodeOrg(key);
    if (nodeOrg) return { key, kind: 'node', org: nodeOrg.id, status: 'active' };
    const k = this.view.get<KeyRecord>(keys.key(key));
    if (k) {
      const m = this.view.get<MemberRecord>(keys.member(k.member));
      const active = k.status === 'active' && m?.status === 'active';
      const status = this.ledger.keyStatus(key);
      return {
        key,
        kind: 'member',
        member: k.member,
        org: m?.org ?? null,
        roles: status.kind === 'active' ? [...status.signer.roles] : (m?.roles ?? []),
        status: active ? 'active' : 'revoked',
      };
    }
    const a = this.view.get<AccountRecord>(accountKeys.account(key));
    if (a) return { key, kind: 'applicant', status: a.status };
    throw new AidError('NOT_FOUND', 'no member, applicant or node holds this key');
  }

  /** The member a key is (or was) of, if any. */
  memberOfKey(key: string): string | undefined {
    return this.view.get<KeyRecord>(keys.key(key))?.member;
  }

  /** Who signs in with a key: a peer node, a member or an applicant; undefined if none may. */
  viewer(key: string): Viewer | undefined {
    // Node keys first: a member record that protocol 1 let claim a node key (then revoked) must
    // not lock the node out.
    const node = this.nodeOrg(key);
    if (node)
      return {
        key,
        member: `${node.id}/node`,
        org: node.id,
        orgType: node.type,
        roles: [],
        node: true,
      };
    const s = this.ledger.keyStatus(key);
    if (s.kind !== 'active') return undefined;
    const org = s.signer.org === '' ? undefined : this.org(s.signer.org);
    return {
      key,
      member: s.signer.member,
      org: s.signer.org,
      orgType: org?.type ?? '',
      roles: s.signer.roles,
    };
  }

  /** The quorums, the number of organisations and nodes, and every proposal, newest first. */
  governance(): Governance {
    const cfg = this.view.get<Config>(keys.config);
    if (!cfg) throw new AidError('NOT_FOUND', 'no genesis state');
    return {
      governanceQuorum: cfg.governanceQuorum,
      checkpointQuorum: cfg.checkpointQuorum,
      orgs: cfg.orgs,
      nodes: cfg.nodes,
      proposals: this.scan<ProposalRecord>('membership/proposal/')
        .sort((a, b) => b.since - a.since || compareUtf8(a.id, b.id))
        .map((p) => ({
          id: p.id,
          kind: p.change.kind,
          ...proposalSubject(p.change),
          status: p.status,
          votes: p.votes,
          since: p.since,
        })),
    };
  }
}

/** What a proposal is about, in the public governance view. */
function proposalSubject(c: ProposalRecord['change']): Partial<Governance['proposals'][number]> {
  switch (c.kind) {
    case 'admitOrg':
      return { org: { id: c.org.id, names: c.org.names, type: c.org.type } };
    case 'setGovernanceQuorum':
    case 'setCheckpointQuorum':
      return { quorum: c.quorum };
    case 'scheduleProtocol':
      return { protocol: { version: c.version, fromHeight: c.fromHeight } };
    case 'cancelProtocol':
      return { protocol: { version: c.version, fromHeight: 0 } };
    case 'grantOversight':
      return { oversight: { org: c.org, roles: c.roles } };
    case 'revokeOversight':
      return { oversight: { org: c.org, roles: [] } };
    case 'liftFreeze':
      return { freeze: c.freeze };
  }
}
