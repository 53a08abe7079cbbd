/**
 * Membership: organisations, their members, roles and keys, and governance. Genesis names the
 * founding organisations; an org admin enrols and revokes its own members; members rotate their
 * keys; a revoked key signs nothing more; a new organisation or a changed quorum needs the votes
 * of the governance quorum of organisations. The verifier policy follows the node keys here.
 */
import { z } from 'zod';
import {
  GenesisOrgSchema,
  ProtocolStepSchema,
  type Genesis,
  type GenesisOrg,
  type OrgType,
  type ProtocolStep,
} from '../../../chain/genesis.js';
import { nodeHolder, possessionText } from '../possession.js';
import { hex32, hex64, OrgIdSchema, type Names } from '../../../chain/schemas.js';
import { fromHex } from '../../../core/bytes.js';
import { encodeVerifierKey } from '../../../core/note.js';
import {
  action,
  refuse,
  ROLES,
  type ActionContext,
  type Contract,
  type KeyStatus,
  type MemberRole,
  type Role,
  type SignatureClaim,
  type StateScan,
  type StateView,
} from '../../../runtime/contract.js';

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

const SetGovernanceQuorum = z.strictObject({
  kind: z.literal('setGovernanceQuorum'),
  quorum: z.number().int().min(1).max(1000),
});
const SetCheckpointQuorum = z.strictObject({
  kind: z.literal('setCheckpointQuorum'),
  quorum: z.number().int().min(1).max(1000),
});
/**
 * Moves the consortium to a newer version of the contract code from a later height: how a running
 * ledger adopts a fix, while `verify` still replays every earlier block under the rules of its
 * time. Known to every version, so that a ledger can always leave the one it runs.
 */
const ScheduleProtocol = ProtocolStepSchema.extend({
  kind: z.literal('scheduleProtocol'),
  version: z.number().int().min(2).max(1_000_000),
});
/** Withdraws a scheduled step before it takes effect: a mistaken vote is not for good. */
const CancelProtocol = z.strictObject({
  kind: z.literal('cancelProtocol'),
  version: z.number().int().min(2).max(1_000_000),
});
/**
 * How far ahead a step may be scheduled (blocks), and how many versions it may jump: a vote can
 * neither lock the schedule with a step at the end of time nor name a version far beyond any
 * software's reach.
 */
export const MAX_PROTOCOL_LEAD = 1_000_000;
export const MAX_PROTOCOL_JUMP = 10;

/** The roles only the consortium grants, never an organisation's own administrator. */
export const OVERSIGHT_ROLES = ['regulator', 'auditor'] as const;
export type OversightRole = (typeof OVERSIGHT_ROLES)[number];

const ChangeV1 = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('admitOrg'), org: GenesisOrgSchema }),
  SetGovernanceQuorum,
  SetCheckpointQuorum,
  ScheduleProtocol,
  CancelProtocol,
]);

/** From protocol 2: proofs of possession for a new organisation's keys, and oversight grants. */
const ChangeV2 = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('admitOrg'),
    org: GenesisOrgSchema,
    /** The organisation's administrator key (and node key, when it has one) signing for itself. */
    proofs: z.strictObject({ root: hex64, node: hex64.optional() }),
  }),
  SetGovernanceQuorum,
  SetCheckpointQuorum,
  ScheduleProtocol,
  CancelProtocol,
  z.strictObject({
    kind: z.literal('grantOversight'),
    org: OrgIdSchema,
    roles: z
      .array(z.enum(OVERSIGHT_ROLES))
      .min(1)
      .max(OVERSIGHT_ROLES.length)
      .refine((r) => new Set(r).size === r.length, 'roles are listed once'),
  }),
  z.strictObject({ kind: z.literal('revokeOversight'), org: OrgIdSchema }),
  /** Lets any regulator lift the freeze placed by the transaction `freeze` (see audit.ts). */
  z.strictObject({ kind: z.literal('liftFreeze'), freeze: hex32 }),
]);
type Change = z.infer<typeof ChangeV2> | z.infer<typeof ChangeV1>;

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
  /** The protocol steps adopted by vote: `{ steps: ProtocolStep[] }`. */
  protocol: 'membership/protocol',
  /** From protocol 2: the organisation whose node key this is. */
  nodeKey: (hex: string) => `membership/nodekey/${hex}`,
  /** From protocol 2: the oversight roles the consortium granted an organisation. */
  oversight: (org: string) => `membership/oversight/${org}`,
} as const;

export interface ProtocolSchedule {
  steps: (ProtocolStep & { proposal: string })[];
}

export interface OversightGrant {
  org: string;
  roles: OversightRole[];
  proposal: string;
  since: number;
}

/** Every role of medical-aid work: a bureau's, a charity's or a hospital's staff. */
const AID_STAFF: readonly MemberRole[] = [
  'admin',
  'operator',
  'clerk',
  'social-worker',
  'reviewer',
  'finance',
  'program-manager',
];

/**
 * The roles an organisation of each type may give its members (protocol 2 on). `regulator` and
 * `auditor` are never here: an organisation holds them only by a grant of the consortium, and only
 * a government body or an audit institution can receive one. docs/threat-model.md has this table.
 */
export const ORG_ROLES: Readonly<Record<OrgType, readonly MemberRole[]>> = {
  government: AID_STAFF,
  hospital: AID_STAFF,
  charity: AID_STAFF,
  auditor: ['admin', 'operator'],
  supplier: ['admin', 'operator', 'clerk'],
  pharmacy: ['admin', 'operator', 'clerk'],
};

/** The organisation types the consortium may grant oversight roles to. */
export const OVERSIGHT_ORG_TYPES: readonly OrgType[] = ['government', 'auditor'];

/** The roles an organisation may hold now: its type's table and its oversight grant. */
export function allowedRoles(state: StateView, org: OrgRecord): ReadonlySet<Role> {
  const grant = state.get<OversightGrant>(keys.oversight(org.id));
  return new Set<Role>([...ORG_ROLES[org.type], ...(grant?.roles ?? [])]);
}

const RoleSchema = z.enum(ROLES);
const RolesSchema = z
  .array(RoleSchema)
  .min(1)
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, 'roles are listed once');
const MemberName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lowercase name, up to 63');
/** A governance proposal's id, as proposals are named. */
export const ProposalIdSchema = MemberName;
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

/**
 * The rules that differ between protocol versions. Version 1 is kept exactly as it ran, so old
 * blocks replay; version 2 closes what an adversarial review found (a key claimed by two holders,
 * a role an organisation may not hold).
 */
interface Rules {
  v2: boolean;
}
const V1: Rules = { v2: false };
const V2: Rules = { v2: true };

function claimKey(state: StateView, key: string, member: string, rules: Rules): void {
  if (state.get<KeyRecord>(keys.key(key)) !== undefined) {
    refuse('KEY_IN_USE', 'that key already belongs to a member');
  }
  // An applicant account's key (see accounts.ts) cannot become a member's too.
  if (state.get(`accounts/k/${key}`) !== undefined)
    refuse('KEY_IN_USE', 'that key belongs to an applicant account');
  if (rules.v2 && state.get(keys.nodeKey(key)) !== undefined)
    refuse('KEY_IN_USE', "that key is an organisation's node key");
  state.put(keys.key(key), { member, status: 'active' } satisfies KeyRecord);
}

/** From protocol 2: a node key is no member's or applicant's key, nor another org's node key. */
function claimNodeKey(state: StateView, key: string, org: string): void {
  if (state.get(keys.key(key)) !== undefined)
    refuse('KEY_IN_USE', 'the node key belongs to a member');
  if (state.get(`accounts/k/${key}`) !== undefined)
    refuse('KEY_IN_USE', 'the node key belongs to an applicant account');
  const holder = state.get<string>(keys.nodeKey(key));
  if (holder !== undefined && holder !== org)
    refuse('KEY_IN_USE', "the node key is another organisation's");
  state.put(keys.nodeKey(key), org);
}

function retireKey(state: StateView, key: string, member: string): void {
  state.put(keys.key(key), { member, status: 'revoked' } satisfies KeyRecord);
}

/** The proof of possession `requirePossession` checks, for the signature workers to check ahead. */
function possessionClaim(chain: string, holder: string, key: string, pop: string): SignatureClaim {
  return { key, text: possessionText(chain, holder, key), sig: pop };
}

/** The proofs of possession an adopted `admitOrg` checks. */
function admissionClaims(change: Change, chain: string): SignatureClaim[] {
  if (change.kind !== 'admitOrg' || !('proofs' in change)) return [];
  const { org, proofs } = change;
  const claims = [possessionClaim(chain, `${org.id}/admin`, org.rootKey, proofs.root)];
  if (org.nodeKey !== undefined && proofs.node !== undefined)
    claims.push(possessionClaim(chain, nodeHolder(org.id), org.nodeKey, proofs.node));
  return claims;
}

/** Refuses unless `pop` is the key's signature of the possession statement for `holder`. */
function requirePossession(
  ctx: ActionContext,
  holder: string,
  key: string,
  pop: string | undefined,
): void {
  const text = possessionText(config(ctx.state).chain, holder, key);
  if (pop === undefined || !ctx.verifySignature(key, text, pop))
    refuse('NO_POSSESSION', `the key of ${holder} did not sign its proof of possession`);
}

/** From protocol 2: refuses a role the organisation may not hold. */
function checkRoles(state: StateView, org: OrgRecord, roles: readonly Role[]): void {
  const allowed = allowedRoles(state, org);
  const bad = roles.filter((r) => !allowed.has(r));
  if (bad.length > 0)
    refuse(
      'ROLE_NOT_ALLOWED',
      `a ${org.type} organisation${bad.some((r) => (OVERSIGHT_ROLES as readonly string[]).includes(r)) ? ' without a consortium grant' : ''} may not hold ${bad.join(', ')}`,
    );
}

function addOrg(state: StateView, o: GenesisOrg, time: number, rules: Rules): void {
  if (state.get(keys.org(o.id)) !== undefined)
    refuse('ALREADY_EXISTS', `organisation ${o.id} exists`);
  const admin = `${o.id}/admin`;
  claimKey(state, o.rootKey, admin, rules);
  if (rules.v2) {
    if (o.nodeKey !== undefined) claimNodeKey(state, o.nodeKey, o.id);
  } else if (o.nodeKey !== undefined && state.get(keys.key(o.nodeKey)) !== undefined) {
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

function applyChange(ctx: ActionContext, change: Change, proposal: string, rules: Rules): void {
  const cfg = config(ctx.state);
  switch (change.kind) {
    case 'admitOrg':
      // A proposal made under protocol 1 carries no proofs; adopted under 2, it fails.
      if (rules.v2 && !('proofs' in change))
        refuse('NO_POSSESSION', `the keys of ${change.org.id} were never proven`);
      if ('proofs' in change) {
        requirePossession(ctx, `${change.org.id}/admin`, change.org.rootKey, change.proofs.root);
        if (change.org.nodeKey !== undefined)
          requirePossession(ctx, nodeHolder(change.org.id), change.org.nodeKey, change.proofs.node);
      }
      addOrg(ctx.state, change.org, ctx.time, rules);
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
    case 'scheduleProtocol': {
      // In force from a later block only: the block that adopts it already runs.
      if (change.fromHeight <= ctx.height)
        refuse('INVALID_STATE', `height ${change.fromHeight} is not after ${ctx.height}`);
      if (change.fromHeight > ctx.height + MAX_PROTOCOL_LEAD)
        refuse('INVALID_STATE', `a step starts at most ${MAX_PROTOCOL_LEAD} blocks ahead`);
      const sched = ctx.state.get<ProtocolSchedule>(keys.protocol) ?? { steps: [] };
      const last = sched.steps.at(-1);
      const current = Math.max(ctx.protocol, last?.version ?? 0);
      if (change.version <= current)
        refuse('INVALID_STATE', `version ${change.version} is not newer than ${current}`);
      if (change.version > current + MAX_PROTOCOL_JUMP)
        refuse('INVALID_STATE', `a step moves at most ${MAX_PROTOCOL_JUMP} versions ahead`);
      if (last !== undefined && change.fromHeight <= last.fromHeight)
        refuse('INVALID_STATE', `an adopted step already starts at ${last.fromHeight}`);
      ctx.state.put(keys.protocol, {
        steps: [
          ...sched.steps,
          { version: change.version, fromHeight: change.fromHeight, proposal },
        ],
      } satisfies ProtocolSchedule);
      return;
    }
    case 'cancelProtocol': {
      const sched = ctx.state.get<ProtocolSchedule>(keys.protocol) ?? { steps: [] };
      const step = sched.steps.find((st) => st.version === change.version);
      if (step === undefined) refuse('NOT_FOUND', `no step to version ${change.version}`);
      // A step in force is history: blocks already ran under it.
      if (step.fromHeight <= ctx.height)
        refuse('INVALID_STATE', `version ${change.version} is in force since ${step.fromHeight}`);
      ctx.state.put(keys.protocol, {
        steps: sched.steps.filter((st) => st !== step),
      } satisfies ProtocolSchedule);
      return;
    }
    case 'grantOversight': {
      const org = getOrg(ctx.state, change.org);
      if (!OVERSIGHT_ORG_TYPES.includes(org.type))
        refuse('ROLE_NOT_ALLOWED', `a ${org.type} organisation cannot be granted oversight`);
      ctx.state.put(keys.oversight(org.id), {
        org: org.id,
        roles: change.roles,
        proposal,
        since: ctx.time,
      } satisfies OversightGrant);
      return;
    }
    case 'revokeOversight':
      if (ctx.state.get(keys.oversight(change.org)) === undefined)
        refuse('INVALID_STATE', `${change.org} holds no oversight grant`);
      ctx.state.del(keys.oversight(change.org));
      return;
    case 'liftFreeze':
      // The adopted proposal itself is the authority audit.unfreeze cites.
      return;
  }
}

function tally(ctx: ActionContext, p: ProposalRecord, rules: Rules): ProposalRecord {
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
      applyChange({ ...ctx, state: probe }, p.change, p.id, rules);
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

function enrolMember(
  ctx: ActionContext,
  p: { name: string; roles: Role[]; key: string },
  rules: Rules,
): void {
  const id = `${ctx.signer.org}/${p.name}`;
  if (ctx.state.get(keys.member(id)) !== undefined) refuse('ALREADY_EXISTS', `member ${id} exists`);
  const org = getOrg(ctx.state, ctx.signer.org);
  if (rules.v2) checkRoles(ctx.state, org, p.roles);
  claimKey(ctx.state, p.key, id, rules);
  ctx.state.put(keys.member(id), {
    id,
    org: ctx.signer.org,
    roles: p.roles,
    key: p.key,
    status: 'active',
    since: ctx.time,
  } satisfies MemberRecord);
  if (adminDelta(p.roles)) ctx.state.put(keys.org(org.id), { ...org, admins: org.admins + 1 });
}

function setMemberRoles(
  ctx: ActionContext,
  p: { member: string; roles: Role[] },
  rules: Rules,
): void {
  const m = getMember(ctx.state, p.member);
  if (m.org !== ctx.signer.org)
    refuse('WRONG_ORG', 'an admin changes only members of their own organisation');
  if (m.status === 'revoked') refuse('INVALID_STATE', `member ${m.id} is revoked`);
  const org = getOrg(ctx.state, m.org);
  if (rules.v2) checkRoles(ctx.state, org, p.roles);
  const admins = org.admins - adminDelta(m.roles) + adminDelta(p.roles);
  if (admins < 1) refuse('LAST_ADMIN', 'an organisation keeps one admin');
  ctx.state.put(keys.member(m.id), { ...m, roles: p.roles } satisfies MemberRecord);
  ctx.state.put(keys.org(org.id), { ...org, admins });
}

function rotateMemberKey(ctx: ActionContext, p: { key: string }, rules: Rules): void {
  const m = getMember(ctx.state, ctx.signer.member);
  claimKey(ctx.state, p.key, m.id, rules);
  retireKey(ctx.state, m.key, m.id);
  ctx.state.put(keys.member(m.id), { ...m, key: p.key } satisfies MemberRecord);
}

function setOrgNodeKey(ctx: ActionContext, p: { key: string }, rules: Rules): void {
  const org = getOrg(ctx.state, ctx.signer.org);
  if (rules.v2) claimNodeKey(ctx.state, p.key, org.id);
  else if (ctx.state.get(keys.key(p.key)) !== undefined)
    refuse('KEY_IN_USE', 'the node key belongs to a member');
  const cfg = config(ctx.state);
  if (org.nodeKey === null)
    ctx.state.put(keys.config, { ...cfg, nodes: cfg.nodes + 1 } satisfies Config);
  ctx.state.put(keys.org(org.id), { ...org, nodeKey: p.key } satisfies OrgRecord);
}

function propose(ctx: ActionContext, p: { id: string; change: Change }, rules: Rules): void {
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
  ctx.state.put(keys.proposal(p.id), tally(ctx, proposal, rules));
}

function vote(ctx: ActionContext, p: { proposal: string; approve: boolean }, rules: Rules): void {
  const prop =
    ctx.state.get<ProposalRecord>(keys.proposal(p.proposal)) ??
    refuse('NOT_FOUND', `no proposal ${p.proposal}`);
  if (prop.status !== 'open') refuse('INVALID_STATE', `proposal ${prop.id} is ${prop.status}`);
  if (prop.votes.some((v) => v.org === ctx.signer.org)) {
    refuse('ALREADY_VOTED', `organisation ${ctx.signer.org} has voted on ${prop.id}`);
  }
  const next = { ...prop, votes: insertVote(prop.votes, ctx.signer.org, p.approve) };
  ctx.state.put(keys.proposal(prop.id), tally(ctx, next, rules));
}

const EnrolV1 = z.strictObject({ name: MemberName, roles: RolesSchema, key: hex32 });
const VoteSchema = z.strictObject({ proposal: MemberName, approve: z.boolean() });
const RevokeSchema = z.strictObject({ member: MemberRef });
const SetRolesSchema = z.strictObject({ member: MemberRef, roles: RolesSchema });

function revokeMember(ctx: ActionContext, p: { member: string }): void {
  const m = getMember(ctx.state, p.member);
  if (m.org !== ctx.signer.org)
    refuse('WRONG_ORG', 'an admin revokes only members of their own organisation');
  if (m.status === 'revoked') refuse('INVALID_STATE', `member ${m.id} is already revoked`);
  const org = getOrg(ctx.state, m.org);
  if (adminDelta(m.roles) && org.admins <= 1)
    refuse('LAST_ADMIN', 'an organisation keeps one admin');
  ctx.state.put(keys.member(m.id), { ...m, status: 'revoked' } satisfies MemberRecord);
  retireKey(ctx.state, m.key, m.id);
  if (adminDelta(m.roles)) ctx.state.put(keys.org(org.id), { ...org, admins: org.admins - 1 });
}

/** Protocol 1: as it ran (plus `scheduleProtocol`, so a ledger on it can move on). */
export const membership: Contract = {
  name: 'membership',
  actions: {
    enrol: action({
      schema: EnrolV1,
      roles: ADMIN,
      // A member's real name and contact stay beside the log, erasable when they leave.
      private: 'optional',
      facts: StaffFacts,
      apply: (ctx, p) => enrolMember(ctx, p, V1),
    }),
    revoke: action({ schema: RevokeSchema, roles: ADMIN, apply: revokeMember }),
    setRoles: action({
      schema: SetRolesSchema,
      roles: ADMIN,
      apply: (ctx, p) => setMemberRoles(ctx, p, V1),
    }),
    rotateKey: action({
      schema: z.strictObject({ key: hex32 }),
      roles: 'member',
      apply: (ctx, p) => rotateMemberKey(ctx, p, V1),
    }),
    setNodeKey: action({
      schema: z.strictObject({ key: hex32 }),
      roles: ADMIN,
      apply: (ctx, p) => setOrgNodeKey(ctx, p, V1),
    }),
    propose: action({
      schema: z.strictObject({ id: MemberName, change: ChangeV1 }),
      roles: ADMIN,
      apply: (ctx, p) => propose(ctx, p, V1),
    }),
    vote: action({ schema: VoteSchema, roles: ADMIN, apply: (ctx, p) => vote(ctx, p, V1) }),
  },
};

/**
 * Protocol 2: each role must fit the organisation's type (regulator and auditor only by the
 * consortium's grant), a key belongs to one holder across members, applicants and node keys, and
 * a new key proves its holder has it (`pop`, see domains/membership/possession.ts).
 */
export const membershipV2: Contract = {
  name: 'membership',
  actions: {
    enrol: action({
      schema: EnrolV1.extend({
        // `<org>/node` names the organisation's node key in proofs of possession.
        name: MemberName.refine((n) => n !== 'node', 'the name "node" is reserved'),
        pop: hex64,
      }),
      roles: ADMIN,
      private: 'optional',
      facts: StaffFacts,
      signatures: (p, signer, chain) => [
        possessionClaim(chain, `${signer.org}/${p.name}`, p.key, p.pop),
      ],
      apply(ctx, p) {
        requirePossession(ctx, `${ctx.signer.org}/${p.name}`, p.key, p.pop);
        enrolMember(ctx, p, V2);
      },
    }),
    revoke: action({ schema: RevokeSchema, roles: ADMIN, apply: revokeMember }),
    setRoles: action({
      schema: SetRolesSchema,
      roles: ADMIN,
      apply: (ctx, p) => setMemberRoles(ctx, p, V2),
    }),
    rotateKey: action({
      schema: z.strictObject({ key: hex32, pop: hex64 }),
      roles: 'member',
      signatures: (p, signer, chain) => [possessionClaim(chain, signer.member, p.key, p.pop)],
      apply(ctx, p) {
        requirePossession(ctx, ctx.signer.member, p.key, p.pop);
        rotateMemberKey(ctx, p, V2);
      },
    }),
    setNodeKey: action({
      schema: z.strictObject({ key: hex32, pop: hex64 }),
      roles: ADMIN,
      signatures: (p, signer, chain) => [
        possessionClaim(chain, nodeHolder(signer.org), p.key, p.pop),
      ],
      apply(ctx, p) {
        requirePossession(ctx, nodeHolder(ctx.signer.org), p.key, p.pop);
        setOrgNodeKey(ctx, p, V2);
      },
    }),
    propose: action({
      schema: z.strictObject({ id: MemberName, change: ChangeV2 }),
      roles: ADMIN,
      // Adopted at once when the proposer's vote is a quorum: then its proofs are checked here.
      signatures: ({ change }, _signer, chain) => admissionClaims(change, chain),
      apply: (ctx, p) => propose(ctx, p, V2),
    }),
    vote: action({ schema: VoteSchema, roles: ADMIN, apply: (ctx, p) => vote(ctx, p, V2) }),
  },
};

function writeGenesis(g: Genesis, state: StateView, rules: Rules): void {
  for (const o of g.orgs) addOrg(state, o, g.time, rules);
  state.put(keys.config, {
    chain: g.chain,
    orgs: g.orgs.length,
    nodes: g.orgs.filter((o) => o.nodeKey !== undefined).length,
    governanceQuorum: g.governanceQuorum,
    checkpointQuorum: g.checkpointQuorum,
  } satisfies Config);
}

/** Writes the founding organisations and their first admins. */
export function membershipGenesis(g: Genesis, state: StateView): void {
  writeGenesis(g, state, V1);
}

/** Protocol 2's genesis: the same, and the node keys indexed. */
export function membershipGenesisV2(g: Genesis, state: StateView): void {
  writeGenesis(g, state, V2);
}

/**
 * Moving a ledger from protocol 1 to 2: index every organisation's node key, and take back what
 * protocol 1 (which checked neither) let others bind to a node key: a member key or an applicant
 * account holding one is retired, and a node key that several organisations named stays with the
 * one that had it first (the others lose their node key, and with it their checkpoint signature).
 */
export function membershipUpgradeV2(state: StateView, scan: StateScan, genesis: Genesis): void {
  const orgs = scan('membership/org/').map((r) => r.value as OrgRecord);
  for (const org of byPrecedence(orgs, genesis)) {
    const nodeKey = org.nodeKey!;
    if (state.get(keys.nodeKey(nodeKey)) !== undefined) {
      state.put(keys.org(org.id), { ...getOrg(state, org.id), nodeKey: null } satisfies OrgRecord);
      const cfg = config(state);
      const nodes = cfg.nodes - 1;
      state.put(keys.config, {
        ...cfg,
        nodes,
        checkpointQuorum: Math.max(1, Math.min(cfg.checkpointQuorum, nodes)),
      } satisfies Config);
      continue;
    }
    state.put(keys.nodeKey(nodeKey), org.id);
    const k = state.get<KeyRecord>(keys.key(nodeKey));
    if (k !== undefined && k.status === 'active') {
      retireKey(state, nodeKey, k.member);
      const m = state.get<MemberRecord>(keys.member(k.member));
      if (m !== undefined && m.status === 'active') {
        state.put(keys.member(m.id), { ...m, status: 'revoked' } satisfies MemberRecord);
        const holder = getOrg(state, m.org);
        if (adminDelta(m.roles))
          state.put(keys.org(holder.id), { ...holder, admins: holder.admins - 1 });
      }
    }
    const account = state.get<{ status: string }>(`accounts/k/${nodeKey}`);
    if (account !== undefined && account.status === 'active')
      state.put(`accounts/k/${nodeKey}`, { ...account, status: 'closed' });
  }
}

/**
 * Organisations with a node key, in the order their claims to it rank: a node key the genesis
 * gave an organisation is that organisation's (all founders agreed to it); then the organisation
 * admitted first, then by id.
 */
function byPrecedence(orgs: readonly OrgRecord[], genesis: Genesis): OrgRecord[] {
  const founded = (o: OrgRecord) =>
    genesis.orgs.some((g) => g.id === o.id && g.nodeKey === o.nodeKey) ? 0 : 1;
  return orgs
    .filter((o) => o.nodeKey !== null)
    .sort(
      (a, b) =>
        founded(a) - founded(b) || a.since - b.since || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/**
 * The organisation a node key belongs to on a ledger that has not yet indexed node keys (one
 * still on protocol 1), as the move to protocol 2 will decide it.
 */
export function nodeKeyHolder(
  orgs: readonly OrgRecord[],
  genesis: Genesis,
  key: string,
): OrgRecord | undefined {
  return byPrecedence(orgs, genesis).find((o) => o.nodeKey === key);
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
 * Protocol 2: a member signs with the roles its organisation may hold now. A role enrolled under
 * protocol 1 that the table does not allow, or an oversight role whose grant was revoked, gives
 * no power.
 */
export function resolveKeyV2(state: StateView, key: string): KeyStatus {
  const s = resolveKey(state, key);
  if (s.kind !== 'active') return s;
  const org = state.get<OrgRecord>(keys.org(s.signer.org));
  if (org === undefined) return { kind: 'revoked', member: s.signer.member };
  const allowed = allowedRoles(state, org);
  return {
    kind: 'active',
    signer: { ...s.signer, roles: s.signer.roles.filter((r) => allowed.has(r)) },
  };
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
