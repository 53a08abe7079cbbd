/**
 * The HTTP API of a node. The log is served the way Certificate Transparency serves one; every
 * malformed or hostile input gets a 4xx `{"error":{"code","message"}}` and changes nothing.
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type {
  BlockDetail,
  BlocksPage,
  CheckpointsPage,
  KeyHolder,
  LogEntry,
  TxView,
} from '../chain/explorer-types.js';
import type { OrgView } from '../domains/aid/public-types.js';
import { toBase64, toHex } from '../core/bytes.js';
import { AidError, isAidError } from '../core/errors.js';
import {
  keys as membershipKeys,
  type KeyRecord,
  type MemberRecord,
  type OrgRecord,
} from '../domains/membership/contracts/membership.js';
import { accountKeys, type AccountRecord } from '../domains/membership/contracts/accounts.js';
import { LATEST_PROTOCOL } from '../domains/protocols.js';
import type { AidNode } from '../node/node.js';
import {
  clientError,
  errorBody,
  errorHeaders,
  frameworkError,
  setResponseHeaders,
  statusOf,
} from './errors.js';
import { openApiDocument } from './openapi.js';
import { AidQueries } from '../domains/aid/model.js';
import { registerAidRoutes } from '../domains/aid/routes.js';
import { Auth } from './auth.js';
import { registerWebApp } from './web.js';

export interface ServerOptions {
  version?: string;
  /** A pino logger for request lines (method, URL, status, time); none by default. Bodies,
   * which may hold private parts, and headers, which hold tokens, are never logged. */
  logger?: FastifyBaseLogger;
  /** The built web app to serve at `/` (default: dist/web beside the server); false for none. */
  webRoot?: string | false;
}

const INT_RE = /^(0|[1-9][0-9]{0,15})$/;
const TXID_RE = /^[0-9a-f]{64}$/;

/** Parses a required non-negative integer query or path value. @throws AidError BAD_REQUEST. */
function int(value: unknown, name: string): number {
  if (typeof value !== 'string' || !INT_RE.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new AidError('BAD_REQUEST', `${name} must be a non-negative integer`);
  }
  return Number(value);
}

function optInt(value: unknown, name: string, dflt: number): number {
  return value === undefined ? dflt : int(value, name);
}

function txid(value: unknown): string {
  if (typeof value !== 'string' || !TXID_RE.test(value)) {
    throw new AidError('BAD_REQUEST', 'a transaction id is 64 lowercase hex characters');
  }
  return value;
}

type Query = Record<string, unknown>;

/** The organisation ids whose signature lines a checkpoint note carries (claimed, not verified). */
function noteSigners(note: string): string[] {
  const names: string[] = [];
  for (const m of note.matchAll(/^\u2014 (\S+) \S+$/gmu)) names.push(m[1]!);
  return names;
}

export function buildServer(node: AidNode, opts: ServerOptions = {}): FastifyInstance {
  const app = Fastify({
    // Request lines carry method, URL and status only: a visitor's address and port are personal
    // data, and the node has no need to keep them.
    ...(opts.logger
      ? {
          loggerInstance: opts.logger.child(
            {},
            {
              serializers: {
                req: (r: { method?: string; url?: string }) => ({ method: r.method, url: r.url }),
              },
            },
          ),
        }
      : { logger: false }),
    bodyLimit: 1024 * 1024,
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    routerOptions: { querystringParser: (s: string) => Object.fromEntries(new URLSearchParams(s)) },
  });
  const ledger = node.ledger;
  const queries = new AidQueries(ledger);
  const doc = openApiDocument(opts.version ?? '0.0.0');

  // Every route, as `METHOD /path/{param}`: the OpenAPI test checks each one is documented.
  const routes: string[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/v1/')) return; // the web app's files
    for (const m of [r.method].flat())
      if (m !== 'HEAD') routes.push(`${m} ${r.url.replace(/:([a-z]+)/g, '{$1}')}`);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (isAidError(error)) {
      return reply
        .status(statusOf(error.code))
        .headers(errorHeaders(error.details))
        .send(errorBody(error.code, error.message, error.details));
    }
    const status = error.statusCode ?? 500;
    if (status === 413)
      return reply.status(413).send(errorBody('TOO_LARGE', 'request body is too large'));
    if (status === 415)
      return reply.status(415).send(errorBody('MALFORMED', 'send application/json'));
    if (status >= 400 && status < 500)
      return reply.status(status).send(errorBody('BAD_REQUEST', error.message));
    app.log.error({ err: error.message }, 'internal error');
    return reply.status(500).send(errorBody('INTERNAL', 'internal error'));
  });
  const appPage =
    opts.webRoot === false ? undefined : registerWebApp(app, opts.webRoot || undefined);
  app.setNotFoundHandler((req, reply) => {
    if (appPage?.(req, reply)) return reply;
    return reply.status(404).send(errorBody('NOT_FOUND', 'no such resource'));
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.method === 'GET' && req.url.startsWith('/v1/') && !req.headers.authorization)
      reply.header('access-control-allow-origin', '*');
    setResponseHeaders(req, reply);
  });

  const submit = (many: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    if (typeof req.body !== 'string')
      throw new AidError('MALFORMED', 'send the submission as application/json');
    // The address counts against the registration limits; it is never logged.
    const outcomes = await node.submit(req.body, many, { client: req.ip });
    const out = outcomes.map((o) => ({
      id: o.id,
      height: o.height,
      index: o.index,
      result: o.result,
      ...(o.duplicate ? { duplicate: true } : {}),
    }));
    return reply.send(many ? { results: out } : out[0]);
  };
  app.post('/v1/tx', { bodyLimit: 256 * 1024 }, submit(false));
  app.post('/v1/txs', { bodyLimit: 32 * 1024 * 1024 }, submit(true));

  app.get('/v1/openapi.json', async () => doc);
  app.get('/v1/health', async (_req, reply) => {
    const h = node.healthy;
    return reply.status(h.ok ? 200 : 503).send({
      ...h,
      chain: ledger.chain,
      org: node.org,
      height: ledger.height,
      size: ledger.size,
      // Which contract code runs next, what is scheduled, and the newest this build has: an
      // operator sees an adopted step coming before the node reaches it.
      protocol: {
        next: ledger.protocolVersionAt(ledger.height + 1),
        schedule: [...ledger.genesis.protocol, ...ledger.adoptedProtocol()],
        known: LATEST_PROTOCOL,
      },
    });
  });
  app.get('/v1/genesis', async () => ledger.genesis);
  app.get('/v1/policy', async () => ledger.policy());
  app.get('/v1/orgs', async () => ({
    orgs: ledger.stateScan('membership/org/').map((r): OrgView => {
      const o = JSON.parse(r.value) as OrgRecord;
      return { id: o.id, names: o.names, type: o.type, nodeKey: o.nodeKey, since: o.since };
    }),
  }));

  app.get('/v1/tx/:id', async (req): Promise<TxView> => {
    const rec = ledger.tx(txid((req.params as Query).id));
    if (!rec) throw new AidError('NOT_FOUND', 'no such transaction');
    return rec;
  });

  app.get('/v1/blocks/:height', async (req): Promise<BlockDetail> => {
    const h = int((req.params as Query).height, 'height');
    const b = ledger.block(h);
    if (!b) throw new AidError('NOT_FOUND', `no block ${h}`);
    return { ...b, transactions: ledger.blockTxs(h) };
  });
  app.get('/v1/blocks', async (req): Promise<BlocksPage> => {
    const q = req.query as Query;
    const from = optInt(q.from, 'from', 0);
    const limit = optInt(q.limit, 'limit', 20);
    if (limit < 1 || limit > 100) throw new AidError('BAD_REQUEST', 'limit is 1 to 100');
    return { height: ledger.height, blocks: ledger.blocks(from, limit) };
  });

  app.get('/v1/log/entries/:index', async (req): Promise<LogEntry> => {
    const index = int((req.params as Query).index, 'index');
    const e = ledger.entryAt(index);
    if (!e) throw new AidError('NOT_FOUND', `no log entry ${index} (the log has ${ledger.size})`);
    return e;
  });
  app.get('/v1/checkpoints', async (req): Promise<CheckpointsPage> => {
    const q = req.query as Query;
    const before = optInt(q.before, 'before', Number.MAX_SAFE_INTEGER);
    const limit = optInt(q.limit, 'limit', 20);
    if (limit < 1 || limit > 100) throw new AidError('BAD_REQUEST', 'limit is 1 to 100');
    return {
      size: ledger.size,
      checkpoints: ledger.log.checkpoints(before, limit).map((c) => ({
        size: c.size,
        root: toHex(c.root),
        signers: noteSigners(c.note),
        note: c.note,
      })),
    };
  });
  app.get('/v1/keys/:key', async (req): Promise<KeyHolder> => {
    const key = (req.params as Query).key;
    if (typeof key !== 'string' || !TXID_RE.test(key))
      throw new AidError('BAD_REQUEST', 'a public key is 64 lowercase hex characters');
    const json = <T>(k: string) => JSON.parse(ledger.stateGet(k) ?? 'null') as T | null;
    // A node key is its organisation's alone, whatever a member record claimed under protocol 1.
    const nodeOrg = queries.nodeOrg(key);
    if (nodeOrg) return { key, kind: 'node', org: nodeOrg.id, status: 'active' };
    const k = json<KeyRecord>(membershipKeys.key(key));
    if (k) {
      const m = json<MemberRecord>(membershipKeys.member(k.member));
      const active = k.status === 'active' && m?.status === 'active';
      // The roles the key signs with now: those its organisation may still hold.
      const status = ledger.keyStatus(key);
      return {
        key,
        kind: 'member',
        member: k.member,
        org: m?.org ?? null,
        roles: status.kind === 'active' ? [...status.signer.roles] : (m?.roles ?? []),
        status: active ? 'active' : 'revoked',
      };
    }
    const a = json<AccountRecord>(accountKeys.account(key));
    if (a) return { key, kind: 'applicant', status: a.status };
    throw new AidError('NOT_FOUND', 'no member, applicant or node holds this key');
  });

  app.get('/v1/log/checkpoint', async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').send(ledger.log.checkpoint().note),
  );
  app.get('/v1/log/entries', async (req) => {
    const q = req.query as Query;
    const start = int(q.start, 'start');
    const end = int(q.end, 'end');
    if (end <= start) throw new AidError('BAD_REQUEST', 'end must exceed start');
    if (start >= ledger.size)
      throw new AidError('BAD_REQUEST', `start must be below the log size ${ledger.size}`);
    return { entries: ledger.log.leaves(start, end, 1000).map((b) => toBase64(b)) };
  });
  app.get('/v1/log/proof/inclusion', async (req) => {
    const q = req.query as Query;
    const index = int(q.index, 'index');
    const size = int(q.size, 'size');
    const p = ledger.log.inclusionProof(index, size);
    return { index, size, leafHash: toHex(p.leafHash), proof: p.proof.map(toHex) };
  });
  app.get('/v1/log/proof/consistency', async (req) => {
    const q = req.query as Query;
    const first = int(q.first, 'first');
    const second = int(q.second, 'second');
    return { first, second, proof: ledger.log.consistencyProof(first, second).map(toHex) };
  });
  registerAidRoutes(
    app,
    queries,
    new Auth(ledger, queries, {
      now: node.clock,
      signInsPerMinute: node.spamLimits.signInsPerKeyPerMinute,
    }),
  );

  app.get('/v1/receipt/:txid', async (req) => {
    const r = ledger.receipt(txid((req.params as Query).txid));
    if (!r) throw new AidError('NOT_FOUND', 'no such transaction');
    return r;
  });
  return app;
}
