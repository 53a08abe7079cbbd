/**
 * The HTTP routes a domain offers the API frame, declared rather than registered: method and
 * path, the zod schemas of the path parameters, the query and the body, the shape of a success,
 * the refusals it documents, who may call it, and the handler. The frame (src/api) mounts the
 * declarations, checking every input against its schema before the handler runs (a failure is a
 * coded 400), and generates the OpenAPI document from the same schemas, so what is served and
 * what is documented cannot drift apart. A domain gets what it needs through `RouteContext` and
 * the request, and never imports the frame that mounts it.
 */
import { z } from 'zod';
import { OrgTypeSchema } from '../chain/genesis.js';
import { ROLES } from './contract.js';
import type { CommitOutcome, Ledger } from './ledger.js';

/** Who is reading: a member of an organisation, an applicant (org ''), or a peer node. */
export const ViewerSchema = z
  .object({
    key: z.string(),
    member: z.string().describe('<org>/<name>; <org>/node for a node; applicant for an applicant'),
    org: z.string().describe("'' for an applicant"),
    orgType: z.union([OrgTypeSchema, z.literal('')]),
    roles: z.array(z.enum([...ROLES, 'applicant'])).readonly(),
    node: z
      .boolean()
      .exactOptional()
      .describe("signed in with an organisation's node key: a peer node of the consortium"),
  })
  .meta({ id: 'Viewer' });
export type Viewer = z.infer<typeof ViewerSchema>;

/** Who signs in with a key: undefined when nobody active holds it. */
export type ViewerLookup = (key: string) => Viewer | undefined;

/**
 * Who may call a route: anyone; someone signed in (a member, an applicant or a node); or only a
 * node of the consortium. The frame turns away everyone else before any input is looked at.
 */
export type Access = 'public' | 'signed-in' | 'node';

/** What a handler is given: every input already checked against the route's schemas. */
export interface RouteRequest<P, Q, B, V> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The body as sent (application/json), for a route that checks the exact bytes itself. */
  readonly text: string | undefined;
  /** The signed-in reader: set on every route that is not public. */
  readonly viewer: V;
  /** A request header by its lowercase name (`accept-language`). */
  header(name: string): string | undefined;
  /** The client's address: it may count against a limit, and is never logged. */
  readonly client: string;
  /** The raw body of a route that takes one (`rawBody`), unread: the handler reads it. */
  readonly stream: AsyncIterable<Uint8Array> | undefined;
}

/** A success that is bytes of a media type (a document), not JSON. */
export class Bytes {
  constructor(
    readonly type: string,
    readonly data: Uint8Array,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/** A success answered with a status other than 200, with the route's response shape. */
export class Reply<T> {
  constructor(
    readonly status: number,
    readonly body: T,
  ) {}
}

/** Where a stream's events go: one `text/event-stream` response. */
export interface EventSink {
  /** An event with a JSON body. */
  send(event: string, data: unknown): void;
  /** A comment line, which keeps proxies from closing an idle stream. */
  comment(text: string): void;
  /** Ends the response. */
  close(): void;
}

/**
 * A response that stays open: server-sent events. `start` is called once the response's head is
 * sent and returns what to do when it ends (the client left, or `close` was called).
 */
export class EventStream {
  constructor(readonly start: (sink: EventSink) => () => void) {}
}

type Awaitable<T> = T | Promise<T>;
type ViewerOf<A extends Access> = A extends 'public' ? undefined : Viewer;

/** The declaration of one route; `route()` checks the handler against the schemas. */
export interface RouteSpec<
  P extends z.ZodObject,
  Q extends z.ZodObject,
  B extends z.ZodType,
  R extends z.ZodType,
  A extends Access,
> {
  /** The OpenAPI operationId. */
  id: string;
  method: 'GET' | 'POST';
  /** The path in OpenAPI's form, e.g. `/v1/cases/{id}`. */
  path: `/v1/${string}`;
  summary: string;
  description?: string;
  /** Who may call it (default: anyone). */
  access?: A;
  /** The path parameters, each a string schema (transforms may turn them into numbers). */
  params?: P;
  /** The query parameters (strings, as the URL has them); unknown ones are ignored. */
  query?: Q;
  /** A JSON body: parsed and checked before the handler runs. */
  body?: B;
  /** A body the handler checks itself from `text`, documented with this schema. */
  bodyText?: z.ZodType;
  /** The largest body taken, in bytes (default: the server's). */
  bodyLimit?: number;
  /**
   * A raw body of this media type (not JSON), handed to the handler unread as `stream`: the
   * handler reads it and enforces `limit` itself, so nothing is buffered before it has decided to.
   */
  rawBody?: { mediaType: string; limit: number; description: string };
  /** What a success answers (status 200): JSON, unless `type` names another media type. */
  response: R;
  type?: string;
  /** Other statuses answered with the same shape as a success, and when. */
  alsoAnswers?: Readonly<Record<number, string>>;
  /** The refusals it documents, by status, each an `{"error":{…}}` body. */
  errors?: Readonly<Record<number, string>>;
  handler(
    req: RouteRequest<z.output<P>, z.output<Q>, z.output<B>, ViewerOf<A>>,
  ): Awaitable<z.input<R> | Reply<z.input<R>> | Bytes | EventStream>;
}

/** A route as the frame mounts it: its handler takes the inputs the frame checked. */
export interface Route extends Omit<
  RouteSpec<z.ZodObject, z.ZodObject, z.ZodType, z.ZodType, Access>,
  'handler'
> {
  handler(req: RouteRequest<unknown, unknown, unknown, Viewer | undefined>): Awaitable<unknown>;
}

/**
 * Declares a route. The handler's inputs are typed by the schemas' outputs and its answer by the
 * response schema; the frame runs the schemas before the handler, which is what makes the one
 * cast here sound.
 */
export function route<
  R extends z.ZodType,
  P extends z.ZodObject = z.ZodObject<Record<never, never>>,
  Q extends z.ZodObject = z.ZodObject<Record<never, never>>,
  B extends z.ZodType = z.ZodUndefined,
  A extends Access = 'public',
>(spec: RouteSpec<P, Q, B, R, A>): Route {
  return spec as unknown as Route;
}

/**
 * What the node offers a domain's routes beyond reading its ledger: its organisation and
 * directory (a domain keeps node-local files under it), the submit path, its node key, and where
 * its peers are.
 */
export interface NodeServices {
  /** The organisation this node belongs to. */
  readonly org: string;
  /** The node's directory. */
  readonly dir: string;
  /** The clock (ms); a test's clock in tests. */
  clock(): number;
  /**
   * Admits and orders one submission (its RFC 8785 text) and resolves with its outcome once
   * committed. @throws AidError with an admission code, or RATE_LIMITED.
   */
  submit(text: string, client: string): Promise<CommitOutcome>;
  /** Signs with the node's key (the key it signs checkpoints with and signs in to peers with). */
  sign(message: Uint8Array): Uint8Array;
  /** The node's public key (hex). */
  readonly publicKey: string;
  /** Where another organisation's node API is reached, if this node knows (a consortium). */
  peerUrl(org: string): Promise<string | undefined>;
}

/** What the API frame gives a domain's routes. */
export interface RouteContext {
  /**
   * The node's ledger: routes only read its state, blocks, log and private parts. A domain may
   * keep node-local tables of its own in the same SQLite file (`ledger.db`), outside the state
   * and the log: records this node alone holds, never replicated, never in `verify`.
   */
  readonly ledger: Ledger;
  /** The node itself; absent where routes are served without one. */
  readonly node?: NodeServices;
}

/** A domain's part of the HTTP API: its routes, over a read model it builds from the context. */
export type DomainRoutes = (ctx: RouteContext) => readonly Route[];

const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;

/**
 * A whole number in a path or query parameter: canonical decimal digits (no sign, exponent or
 * leading zero), from `min` to `max`. Documented as an integer.
 */
export function uintParam(what: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  const message =
    max < Number.MAX_SAFE_INTEGER
      ? `${what} is an integer from ${min} to ${max}`
      : min === 0
        ? `${what} must be a non-negative integer`
        : `${what} is an integer of at least ${min}`;
  return z
    .string()
    .transform((s, ctx) => {
      const n = DECIMAL.test(s) ? Number(s) : NaN;
      if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
      ctx.issues.push({ code: 'custom', message, input: s });
      return z.NEVER;
    })
    .meta({
      type: 'integer',
      minimum: min,
      ...(max < Number.MAX_SAFE_INTEGER ? { maximum: max } : {}),
    });
}

/** A transaction id or a public key in a parameter: 64 lowercase hex characters. */
export function hexParam(what: string) {
  return z.string().regex(/^[0-9a-f]{64}$/, `${what} is 64 lowercase hex characters`);
}
