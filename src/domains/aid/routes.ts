/**
 * The medical-aid reads of the HTTP API. `/v1/public/…` carries no personal data and needs no
 * sign-in; everything else needs a bearer token (see auth.ts) and shows each viewer only the
 * cases their role lets them see: a hospital its own, a program's staff their program's,
 * regulators and auditors all, an applicant their own.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { pickLang, type Lang } from './text.js';
import type { PublicProgramSummary } from './public-types.js';
import { AidError } from '../../core/errors.js';
import { CASE_STATES, type CaseState } from './contracts/case-record.js';
import { publicDonation, type AidQueries } from './model.js';
import type { CaseFilter } from './projections.js';
import {
  canAssess,
  canSeeCase,
  requireViewer,
  seesAll,
  type Auth,
  type Viewer,
} from '../../api/auth.js';

type Query = Record<string, unknown>;

const TXID_RE = /^[0-9a-f]{64}$/;
const SLUG_RE = /^[a-z0-9][a-z0-9-]{1,62}$/;

function id(value: unknown, what = 'id'): string {
  if (typeof value !== 'string' || !TXID_RE.test(value))
    throw new AidError('BAD_REQUEST', `${what} is 64 lowercase hex characters`);
  return value;
}

function slug(value: unknown, what: string): string {
  if (typeof value !== 'string' || !SLUG_RE.test(value))
    throw new AidError('BAD_REQUEST', `${what} is lowercase letters, digits and "-"`);
  return value;
}

function optNum(value: unknown, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new AidError('BAD_REQUEST', `${what} is an integer from ${min} to ${max}`);
  return n;
}

function langOf(req: FastifyRequest): Lang {
  const q = (req.query as Query).lang;
  return pickLang(typeof q === 'string' ? q : req.headers['accept-language']);
}

/** The opaque cursor of a case page: where the next page starts. */
function encodeCursor(c: { submitted: number; id: string }): string {
  return Buffer.from(`${c.submitted}:${c.id}`).toString('base64url');
}

function decodeCursor(value: unknown): { submitted: number; id: string } | undefined {
  if (value === undefined) return undefined;
  const m =
    typeof value === 'string'
      ? /^([0-9]{1,16}):([0-9a-f]{64})$/.exec(Buffer.from(value, 'base64url').toString('utf8'))
      : null;
  if (!m) throw new AidError('BAD_REQUEST', 'cursor is the nextCursor of a previous page');
  return { submitted: Number(m[1]), id: m[2]! };
}

/** Filters and paging of a case list from the query string. */
function caseFilter(q: Query): CaseFilter {
  const state = q.state;
  if (state !== undefined && !CASE_STATES.includes(state as CaseState))
    throw new AidError('BAD_REQUEST', `state is one of ${CASE_STATES.join(', ')}`);
  const f: CaseFilter = { limit: optNum(q.limit, 'limit', 1, 200) ?? 50 };
  if (q.program !== undefined) f.program = slug(q.program, 'program');
  if (state !== undefined) f.state = state as CaseState;
  if (q.hospital !== undefined) f.hospital = slug(q.hospital, 'hospital');
  const from = optNum(q.from, 'from', 0, Number.MAX_SAFE_INTEGER);
  const to = optNum(q.to, 'to', 0, Number.MAX_SAFE_INTEGER);
  if (from !== undefined) f.from = from;
  if (to !== undefined) f.to = to;
  const after = decodeCursor(q.cursor);
  if (after) f.after = after;
  return f;
}

function page<T extends { submitted: number; id: string }>(rows: T[], limit: number) {
  const last = rows[rows.length - 1];
  return {
    cases: rows,
    ...(rows.length === limit && last ? { nextCursor: encodeCursor(last) } : {}),
  };
}

export function registerAidRoutes(app: FastifyInstance, q: AidQueries, auth: Auth): void {
  const viewerOf = (req: FastifyRequest): Viewer | undefined =>
    auth.viewer(req.headers.authorization);

  app.post('/v1/auth/challenge', async (req) => {
    const body = parseBody(req.body);
    return auth.challenge(body.key);
  });
  app.post('/v1/auth/token', async (req) => auth.token(parseBody(req.body)));
  app.get('/v1/me', async (req) => ({ viewer: requireViewer(viewerOf(req)) }));

  // ---- public: no personal data ----------------------------------------------------------
  // received is net of money returned to donors or the treasury, so that for every program
  // received = available + committed + paid, from these figures alone.
  app.get('/v1/public/programs', async (req) => ({
    programs: q.publicPrograms(langOf(req)).map((p): PublicProgramSummary => ({
      id: p.id,
      name: p.name,
      currency: p.currency,
      budget: p.budget,
      received: (BigInt(p.received) - BigInt(p.returned)).toString(),
      committed: p.committed,
      paid: p.paid,
      available: p.available,
    })),
  }));
  app.get('/v1/public/donations/:id/trace', async (req) =>
    q.trace(id((req.params as Query).id), langOf(req)),
  );
  app.get('/v1/public/donations', async (req) => {
    const limit = optNum((req.query as Query).limit, 'limit', 1, 500) ?? 100;
    return { donations: q.donations(limit).map(publicDonation) };
  });
  // Where the money goes, as a whole: donors by kind and budgets into programs, programs out to
  // hospitals, to what is still available and to returns. No donor and no patient is named.
  app.get('/v1/public/flows', async () => ({ flows: q.fundFlows() }));
  app.get('/v1/public/activity', async (req) => {
    const limit = optNum((req.query as Query).limit, 'limit', 1, 100) ?? 10;
    return q.recentActivity(limit);
  });
  app.get('/v1/public/governance', async () => q.governance());
  app.get('/v1/public/cases', async (req) => {
    const f = caseFilter(req.query as Query);
    const lang = langOf(req);
    const rows = q.cases(f).map((r) => q.publicCase(q.caseRecord(r.id), lang));
    return page(rows, f.limit);
  });
  app.get('/v1/public/cases/:id', async (req) => {
    const rec = q.caseRecord(id((req.params as Query).id));
    return { ...q.publicCase(rec, langOf(req)), funding: q.caseFunding(rec.id) };
  });
  app.get('/v1/public/journal', async (req) => {
    const qq = req.query as Query;
    const after = optNum(qq.after, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = optNum(qq.limit, 'limit', 1, 500) ?? 100;
    return { entries: q.journal(after, limit) };
  });

  // Program definitions, rules included, are published: anyone may read them.
  app.get('/v1/programs', async (req) => ({ programs: q.publicPrograms(langOf(req)) }));
  app.get('/v1/programs/:id', async (req) => {
    const pid = slug((req.params as Query).id, 'program');
    const rec = q.programRecord(pid);
    const definition = q.programVersion(pid);
    return {
      ...q.publicProgram(rec, langOf(req)),
      definition,
      conditionFacts: q.conditionFacts(definition),
      versions: q.programVersions(pid),
    };
  });
  app.get('/v1/programs/:id/versions/:v', async (req) => {
    const p = req.params as Query;
    const v = optNum(p.v, 'version', 1, 1_000_000)!;
    return q.programVersion(slug(p.id, 'program'), v);
  });

  // ---- peers of a consortium -----------------------------------------------------------------
  // A node that was away longer than etcd keeps batches catches up from a peer's blocks.
  app.get('/v1/cluster/batches', async (req) => {
    const v = requireViewer(viewerOf(req));
    if (!v.node) throw new AidError('FORBIDDEN', 'for the consortium’s nodes only');
    const qq = req.query as Query;
    const after = optNum(qq.after, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = optNum(qq.limit, 'limit', 1, 100) ?? 20;
    return { batches: q.batchesAfter(after, limit) };
  });

  // ---- signed in ---------------------------------------------------------------------------
  const visibleCase = (req: FastifyRequest) => {
    const v = requireViewer(viewerOf(req));
    const rec = q.caseRecord(id((req.params as Query).id, 'case'));
    if (!canSeeCase(v, rec)) throw new AidError('FORBIDDEN', 'this case is not yours to see');
    return { v, rec };
  };

  app.get('/v1/cases', async (req) => {
    const v = requireViewer(viewerOf(req));
    const f = caseFilter(req.query as Query);
    if (!seesAll(v)) {
      if (v.org === '') f.applicant = v.key;
      else if (v.orgType === 'hospital') f.hospital = v.org;
      else f.owner = v.org;
      if (
        v.orgType === 'hospital' &&
        (req.query as Query).hospital !== undefined &&
        (req.query as Query).hospital !== v.org
      )
        throw new AidError('FORBIDDEN', 'a hospital sees its own cases');
    }
    return page(q.cases(f), f.limit);
  });
  app.get('/v1/cases/:id', async (req) => {
    const { v, rec } = visibleCase(req);
    const waitlist = q.waitlistPlace(rec);
    return {
      case: q.caseForReader(rec, v.org !== ''),
      funding: q.caseFunding(rec.id),
      ...(waitlist ? { waitlist } : {}),
    };
  });
  app.get('/v1/cases/:id/explain', async (req) => {
    const { v, rec } = visibleCase(req);
    // The values of the facts: for the program's staff and regulators; the applicant sees only
    // what they declared, never an attested value (the case may name someone else's ID); the
    // treating hospital sees which conditions held, not (say) the income a bureau attested.
    const show = v.org === '' ? 'declared' : v.org !== rec.hospital || seesAll(v) ? 'all' : 'none';
    return q.explain(rec.id, langOf(req), show);
  });
  app.get('/v1/cases/:id/sources', async (req) => {
    const { v, rec } = visibleCase(req);
    if (!canAssess(v, rec))
      throw new AidError('FORBIDDEN', 'only the program’s reviewers and managers assess a case');
    return q.assessmentSources(rec.id);
  });
}

function parseBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'string') throw new AidError('BAD_REQUEST', 'send application/json');
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw new AidError('BAD_REQUEST', 'the body is not JSON');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new AidError('BAD_REQUEST', 'the body is a JSON object');
  return v as Record<string, unknown>;
}
