/**
 * Membership: organisations, their members, roles and keys, and governance. Genesis names the
 * founding organisations; an org admin enrols and revokes its own members; members rotate their
 * keys; a revoked key signs nothing more; a new organisation or a changed quorum needs the votes
 * of the governance quorum of organisations. The verifier policy follows the node keys here.
 */
import { z } from 'zod';
import { GenesisOrgSchema, type Genesis, type GenesisOrg, type OrgType } from '../chain/genesis.js';
import { hex32, type Names } from '../chain/schemas.js';
import { fromHex } from '../core/bytes.js';
import { encodeVerifierKey } from '../core/note.js';
import {
  action,
  refuse,
  ROLES,
  type ActionContext,
  type Contract,
  type KeyStatus,
  type Role,
  type StateView,
} from './runtime.js';

export interface OrgRecord {
  id: string;
  names: Names;
  type: OrgType;
  nodeKey: string | null;
  admins: number;
  since: number;
}

export interface MemberRecord {
  id: string;
  org: string;
  roles: Role[];
  key: string;
  status: 'active' | 'revoked';
  since: number;
}

export interface KeyRecord {
  member: string;
  status: 'active' | 'revoked';
}

export interface Config {
  chain: string;
  orgs: number;
  nodes: number;
  governanceQuorum: number;
  checkpointQuorum: number;
}

const Change = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('admitOrg'), org: GenesisOrgSchema }),
  z.strictObject({
    kind: z.literal('setGovernanceQuorum'),
    quorum: z.number().int().min(1).max(1000),
  }),
  z.strictObject({
    kind: z.literal('setCheckpointQuorum'),
    quorum: z.number().int().min(1).max(1000),
  }),
]);
type Change = z.infer<typeof Change>;

export interface ProposalRecord {
  id: string;
  change: Change;
  proposer: string;
  /** Organisation ids in UTF-8 order, with their vote. */
  votes: { org: string; approve: boolean }[];
  status: 'open' | 'adopted' | 'rejected' | 'failed';
  reason?: string;
  since: number;
}

export const keys = {
  config: 'membership/config',
  org: (id: string) => `membership/org/${id}`,
  member: (id: string) => `membership/member/${id}`,
  key: (hex: string) => `membership/key/${hex}`,
  proposal: (id: string) => `membership/proposal/${id}`,
} as const;

const RoleSchema = z.enum(ROLES);
const RolesSchema = z
  .array(RoleSchema)
  .min(1)
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'roles are listed once');
const MemberName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lowercase name, up to 63');
/** Personal facts of a staff member: never in the log, only in the private part. */
const StaffFacts = z.strictObject({
  fullName: z.string().min(1).max(200),
  staffNumber: z.string().max(64).optional(),
  email: z.string().max(200).optional(),
  phone: z.string().max(64).optional(),
});
const MemberRef = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}\/[a-z0-9][a-z0-9._-]{0,62}$/);

function config(state: StateView): Config {
  return state.get<Config>(keys.config) ?? refuse('NOT_FOUND', 'no genesis state');
}

function getOrg(state: StateView, id: string): OrgRecord {
  return state.get<OrgRecord>(keys.org(id)) ?? refuse('NOT_FOUND', `no organisation ${id}`);
}

function getMember(state: StateView, id: string): MemberRecord {
  return state.get<MemberRecord>(keys.member(id)) ?? refuse('NOT_FOUND', `no member ${id}`);
}

function claimKey(state: StateView, key: string, member: string): void {
  if (state.get<KeyRecord>(keys.key(key)) !== undefined) {
    refuse('KEY_IN_USE', 'that key already belongs to a member');
  }
  // An applicant account's key (see accounts.ts) cannot become a member's too.
  if (state.get(`accounts/k/${key}`) !== undefined)
    refuse('KEY_IN_USE', 'that key belongs to an applicant account');
  state.put(keys.key(key), { member, status: 'active' } satisfies KeyRecord);
}

function retireKey(state: StateView, key: string, member: string): void {
  state.put(keys.key(key), { member, status: 'revoked' } satisfies KeyRecord);
}

function addOrg(state: StateView, o: GenesisOrg, time: number): void {
  if (state.get(keys.org(o.id)) !== undefined)
    refuse('ALREADY_EXISTS', `organisation ${o.id} exists`);
  const admin = `${o.id}/admin`;
  claimKey(state, o.rootKey, admin);
  if (o.nodeKey !== undefined && state.get(keys.key(o.nodeKey)) !== undefined) {
    refuse('KEY_IN_USE', 'the node key belongs to a member');
  }
  state.put(keys.org(o.id), {
    id: o.id,
    names: o.names,
    type: o.type,
    nodeKey: o.nodeKey ?? null,
    admins: 1,
    since: time,
  } satisfies OrgRecord);
  state.put(keys.member(admin), {
    id: admin,
    org: o.id,
    roles: ['admin'],
    key: o.rootKey,
    status: 'active',
    since: time,
  } satisfies MemberRecord);
}

function adminDelta(roles: readonly Role[]): number {
  return roles.includes('admin') ? 1 : 0;
}

function applyChange(ctx: ActionContext, change: Change): void {
  const cfg = config(ctx.state);
  switch (change.kind) {
    case 'admitOrg':
      addOrg(ctx.state, change.org, ctx.time);
      ctx.state.put(keys.config, {
        ...cfg,
        orgs: cfg.orgs + 1,
        nodes: cfg.nodes + (change.org.nodeKey === undefined ? 0 : 1),
      } satisfies Config);
      return;
    case 'setGovernanceQuorum':
      if (change.quorum > cfg.orgs)
        refuse('INVALID_STATE', 'quorum exceeds the number of organisations');
      ctx.state.put(keys.config, { ...cfg, governanceQuorum: change.quorum } satisfies Config);
      return;
    case 'setCheckpointQuorum':
      if (change.quorum > cfg.nodes)
        refuse('INVALID_STATE', 'quorum exceeds the number of node keys');
      ctx.state.put(keys.config, { ...cfg, checkpointQuorum: change.quorum } satisfies Config);
      return;
  }
}

function tally(ctx: ActionContext, p: ProposalRecord): ProposalRecord {
  const cfg = config(ctx.state);
  const yes = p.votes.filter((v) => v.approve).length;
  const no = p.votes.length - yes;
  if (yes >= cfg.governanceQuorum) {
    // A change that no longer fits (say, the org id was taken meanwhile) fails, and the
    // proposal records why, instead of the vote being refused.
    const snapshot = new Map<string, unknown>();
    const probe: StateView = {
      get: <T>(k: string) => (snapshot.has(k) ? (snapshot.get(k) as T) : ctx.state.get<T>(k)),
      put: (k, v) => snapshot.set(k, v),
      del: (k) => snapshot.set(k, undefined),
    };
    try {
      applyChange({ ...ctx, state: probe }, p.change);
    } catch (e) {
      return { ...p, status: 'failed', reason: (e as Error).message };
    }
    for (const [k, v] of snapshot) {
      if (v === undefined) ctx.state.del(k);
      else ctx.state.put(k, v);
    }
    return { ...p, status: 'adopted' };
  }
  if (no > cfg.orgs - cfg.governanceQuorum) return { ...p, status: 'rejected' };
  return p;
}

function insertVote(
  votes: ProposalRecord['votes'],
  org: string,
  approve: boolean,
): ProposalRecord['votes'] {
  const out = [...votes, { org, approve }];
  // Code point order of org ids (lowercase ASCII here), independent of insertion order.
  out.sort((a, b) => (a.org < b.org ? -1 : a.org > b.org ? 1 : 0));
  return out;
}

const ADMIN: readonly Role[] = ['admin'];

export const membership: Contract = {
  name: 'membership',
  actions: {
    enrol: action({
      schema: z.strictObject({ name: MemberName, roles: RolesSchema, key: hex32 }),
      roles: ADMIN,
      // A member's real name and contact stay beside the log, erasable when they leave.
      private: 'optional',
      facts: StaffFacts,
      apply(ctx, p) {
        const id = `${ctx.signer.org}/${p.name}`;
        if (ctx.state.get(keys.member(id)) !== undefined)
          refuse('ALREADY_EXISTS', `member ${id} exists`);
        claimKey(ctx.state, p.key, id);
        ctx.state.put(keys.member(id), {
          id,
          org: ctx.signer.org,
          roles: p.roles,
          key: p.key,
          status: 'active',
          since: ctx.time,
        } satisfies MemberRecord);
        const org = getOrg(ctx.state, ctx.signer.org);
        if (adminDelta(p.roles))
          ctx.state.put(keys.org(org.id), { ...org, admins: org.admins + 1 });
      },
    }),
    revoke: action({
      schema: z.strictObject({ member: MemberRef }),
      roles: ADMIN,
      apply(ctx, p) {
        const m = getMember(ctx.state, p.member);
        if (m.org !== ctx.signer.org)
          refuse('WRONG_ORG', 'an admin revokes only members of their own organisation');
        if (m.status === 'revoked') refuse('INVALID_STATE', `member ${m.id} is already revoked`);
        const org = getOrg(ctx.state, m.org);
        if (adminDelta(m.roles) && org.admins <= 1)
          refuse('LAST_ADMIN', 'an organisation keeps one admin');
        ctx.state.put(keys.member(m.id), { ...m, status: 'revoked' } satisfies MemberRecord);
        retireKey(ctx.state, m.key, m.id);
        if (adminDelta(m.roles))
          ctx.state.put(keys.org(org.id), { ...org, admins: org.admins - 1 });
      },
    }),
    setRoles: action({
      schema: z.strictObject({ member: MemberRef, roles: RolesSchema }),
      roles: ADMIN,
      apply(ctx, p) {
        const m = getMember(ctx.state, p.member);
        if (m.org !== ctx.signer.org)
          refuse('WRONG_ORG', 'an admin changes only members of their own organisation');
        if (m.status === 'revoked') refuse('INVALID_STATE', `member ${m.id} is revoked`);
        const org = getOrg(ctx.state, m.org);
        const admins = org.admins - adminDelta(m.roles) + adminDelta(p.roles);
        if (admins < 1) refuse('LAST_ADMIN', 'an organisation keeps one admin');
        ctx.state.put(keys.member(m.id), { ...m, roles: p.roles } satisfies MemberRecord);
        ctx.state.put(keys.org(org.id), { ...org, admins });
      },
    }),
    rotateKey: action({
      schema: z.strictObject({ key: hex32 }),
      roles: 'member',
      apply(ctx, p) {
        const m = getMember(ctx.state, ctx.signer.member);
        claimKey(ctx.state, p.key, m.id);
        retireKey(ctx.state, m.key, m.id);
        ctx.state.put(keys.member(m.id), { ...m, key: p.key } satisfies MemberRecord);
      },
    }),
    setNodeKey: action({
      schema: z.strictObject({ key: hex32 }),
      roles: ADMIN,
      apply(ctx, p) {
        const org = getOrg(ctx.state, ctx.signer.org);
        if (ctx.state.get(keys.key(p.key)) !== undefined)
          refuse('KEY_IN_USE', 'the node key belongs to a member');
        const cfg = config(ctx.state);
        if (org.nodeKey === null)
          ctx.state.put(keys.config, { ...cfg, nodes: cfg.nodes + 1 } satisfies Config);
        ctx.state.put(keys.org(org.id), { ...org, nodeKey: p.key } satisfies OrgRecord);
      },
    }),
    propose: action({
      schema: z.strictObject({ id: MemberName, change: Change }),
      roles: ADMIN,
      apply(ctx, p) {
        if (ctx.state.get(keys.proposal(p.id)) !== undefined)
          refuse('ALREADY_EXISTS', `proposal ${p.id} exists`);
        const proposal: ProposalRecord = {
          id: p.id,
          change: p.change,
          proposer: ctx.signer.org,
          votes: [{ org: ctx.signer.org, approve: true }],
          status: 'open',
          since: ctx.time,
        };
        ctx.state.put(keys.proposal(p.id), tally(ctx, proposal));
      },
    }),
    vote: action({
      schema: z.strictObject({ proposal: MemberName, approve: z.boolean() }),
      roles: ADMIN,
      apply(ctx, p) {
        const prop =
          ctx.state.get<ProposalRecord>(keys.proposal(p.proposal)) ??
          refuse('NOT_FOUND', `no proposal ${p.proposal}`);
        if (prop.status !== 'open')
          refuse('INVALID_STATE', `proposal ${prop.id} is ${prop.status}`);
        if (prop.votes.some((v) => v.org === ctx.signer.org)) {
          refuse('ALREADY_VOTED', `organisation ${ctx.signer.org} has voted on ${prop.id}`);
        }
        const next = { ...prop, votes: insertVote(prop.votes, ctx.signer.org, p.approve) };
        ctx.state.put(keys.proposal(prop.id), tally(ctx, next));
      },
    }),
  },
};

/** Writes the founding organisations and their first admins. */
export function membershipGenesis(g: Genesis, state: StateView): void {
  for (const o of g.orgs) addOrg(state, o, g.time);
  state.put(keys.config, {
    chain: g.chain,
    orgs: g.orgs.length,
    nodes: g.orgs.filter((o) => o.nodeKey !== undefined).length,
    governanceQuorum: g.governanceQuorum,
    checkpointQuorum: g.checkpointQuorum,
  } satisfies Config);
}

/** The member a key belongs to, and whether it may still sign. */
export function resolveKey(state: StateView, key: string): KeyStatus {
  const k = state.get<KeyRecord>(keys.key(key));
  if (k === undefined) return { kind: 'unknown' };
  if (k.status === 'revoked') return { kind: 'revoked', member: k.member };
  const m = state.get<MemberRecord>(keys.member(k.member));
  if (m === undefined || m.status !== 'active') return { kind: 'revoked', member: k.member };
  return { kind: 'active', signer: { key, member: m.id, org: m.org, roles: m.roles } };
}

/**
 * The checkpoint signers the organisations imply: every organisation with a node key, that key as
 * a C2SP verifier key named by the organisation id. The verifier policy is built from this.
 */
export function checkpointSigners(orgs: readonly OrgRecord[]): { org: string; vkey: string }[] {
  return orgs
    .filter((o) => o.nodeKey !== null)
    .map((o) => ({ org: o.id, vkey: encodeVerifierKey(o.id, fromHex(o.nodeKey!, 32)) }));
}
