/**
 * Mounts declared routes (src/runtime/routes.ts) on the Fastify server. Before a handler runs,
 * the caller is signed in when the route asks for it (401 or 403 otherwise, before any input is
 * looked at), and the path parameters, the query and the JSON body are checked against the
 * route's schemas: anything that does not parse is a 400 `BAD_REQUEST` that says where
 * (`details.in`, `details.field`), never a 500 and never an echo of the input.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AidError } from '../core/errors.js';
import type { Readable } from 'node:stream';
import {
  Bytes,
  EventStream,
  Reply,
  type EventSink,
  type Route,
  type Viewer,
} from '../runtime/routes.js';
import type { Auth } from './auth.js';

/** Fastify's form of an OpenAPI path: `/v1/cases/{id}` → `/v1/cases/:id`. */
export function fastifyPath(path: string): string {
  return path.replace(/\{([A-Za-z]+)\}/g, ':$1');
}

/** The reader a route's access asks for. @throws AidError UNAUTHORIZED, FORBIDDEN. */
function signedIn(route: Route, auth: Auth, req: FastifyRequest): Viewer | undefined {
  if (route.access === undefined || route.access === 'public') return undefined;
  const v = auth.viewer(req.headers.authorization);
  if (!v)
    throw new AidError('UNAUTHORIZED', 'sign in: POST /v1/auth/challenge, then /v1/auth/token');
  if (route.access === 'node' && !v.node)
    throw new AidError('FORBIDDEN', 'for the consortium’s nodes only');
  return v;
}

/**
 * Runs `schema` over one part of the request (no schema: nothing is taken from it).
 * @throws AidError BAD_REQUEST.
 */
function check(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return {};
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  // The path names declared fields (and array indices) only: nothing the caller chose is echoed.
  const field = issue.path.map(String).join('.').slice(0, 100);
  throw new AidError('BAD_REQUEST', issue.message, {
    details: { in: where, ...(field === '' ? {} : { field }) },
  });
}

/** The request's JSON body as a value. @throws AidError BAD_REQUEST. */
function jsonBody(body: unknown): unknown {
  if (typeof body !== 'string') throw new AidError('BAD_REQUEST', 'send application/json');
  try {
    return JSON.parse(body);
  } catch {
    throw new AidError('BAD_REQUEST', 'the body is not JSON');
  }
}

/**
 * The unread raw body of a route that takes one: sent with the route's media type (the server
 * hands such a body over as a stream, server.ts). @throws AidError UNSUPPORTED_TYPE otherwise.
 */
function rawStream(mediaType: string, req: FastifyRequest): AsyncIterable<Uint8Array> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = req.body as Readable | undefined;
  if (type !== mediaType || body === undefined || typeof body === 'string')
    throw new AidError('UNSUPPORTED_TYPE', `send the bytes as ${mediaType}`);
  return body;
}

/**
 * Registers each route on `app`, with its checks before its handler.
 * @throws AidError CONFIG when a route's path and its parameters' schema name different parameters.
 */
export function mountRoutes(app: FastifyInstance, routes: readonly Route[], auth: Auth): void {
  for (const route of routes) {
    const named = [...route.path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]!).sort();
    const declared = Object.keys(route.params?.shape ?? {}).sort();
    if (named.join() !== declared.join())
      throw new AidError('CONFIG', `${route.path} declares the parameters ${declared.join()}`);
    app.route({
      method: route.method,
      url: fastifyPath(route.path),
      ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const viewer = signedIn(route, auth, req);
        const params = check(route.params, req.params, 'path');
        const query = check(route.query, req.query, 'query');
        const body = route.body ? check(route.body, jsonBody(req.body), 'body') : undefined;
        const stream = route.rawBody ? rawStream(route.rawBody.mediaType, req) : undefined;
        // A raw body refused part-way is not read to its end: the connection closes after the answer.
        if (route.rawBody) reply.header('connection', 'close');
        const out = await route.handler({
          params,
          query,
          body,
          text: typeof req.body === 'string' ? req.body : undefined,
          viewer,
          header: (name) => {
            const h = req.headers[name];
            return Array.isArray(h) ? h.join(', ') : h;
          },
          client: req.ip,
          stream,
        });
        if (out instanceof Reply) return reply.status(out.status).send(out.body);
        if (out instanceof Bytes)
          return reply.type(out.type).headers(out.headers).send(Buffer.from(out.data));
        if (out instanceof EventStream) return serveEvents(req, reply, out);
        if (route.type !== undefined) reply.type(route.type);
        return reply.send(out);
      },
    });
  }
}

/** Serves server-sent events until the client leaves or the stream closes itself. */
function serveEvents(req: FastifyRequest, reply: FastifyReply, out: EventStream): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // Tells a buffering proxy to pass each event on as it comes.
    'x-accel-buffering': 'no',
  });
  let open = true;
  // What ends the stream's own work, once `start` has returned it.
  const ended: { stop?: () => void } = {};
  const end = () => {
    if (!open) return;
    open = false;
    ended.stop?.();
  };
  const sink: EventSink = {
    send(event, data) {
      if (open) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      if (open) raw.write(`: ${text}\n\n`);
    },
    close() {
      end();
      raw.end();
    },
  };
  req.raw.once('close', end);
  ended.stop = out.start(sink);
  if (!open) ended.stop();
}
