/**
 * The HTTP API of a node: the frame that mounts the node's own routes, sign-in and every
 * domain's routes (from the registry, src/domains/index.ts), all declared with their schemas, and
 * serves the OpenAPI document generated from them. Every malformed or hostile input gets a 4xx
 * `{"error":{"code","message","details"}}` and changes nothing.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AidError, isAidError } from '../core/errors.js';
import { domains } from '../domains/index.js';
import type { AidNode } from '../node/node.js';
import { route, type Route } from '../runtime/routes.js';
import { Auth } from './auth.js';
import { authRoutes } from './auth-routes.js';
import {
  clientError,
  errorBody,
  errorHeaders,
  frameworkError,
  setResponseHeaders,
  statusOf,
} from './errors.js';
import { logRoutes } from './log-routes.js';
import { mountRoutes } from './mount.js';
import { openApiDocument } from './openapi.js';
import { registerWebApp } from './web.js';

export interface ServerOptions {
  version?: string;
  /** A pino logger for request lines (method, URL, status, time); none by default. Bodies,
   * which may hold private parts, and headers, which hold tokens, are never logged. */
  logger?: FastifyBaseLogger;
  /** The built web app to serve at `/` (default: dist/web beside the server); false for none. */
  webRoot?: string | false;
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

  // The node's own routes, sign-in, and each domain's routes from the one registry; the OpenAPI
  // document is generated from the same declarations.
  const ctx = { ledger, clock: node.clock };
  const lookups = domains.flatMap((d) => (d.viewers ? [d.viewers(ctx)] : []));
  if (lookups.length !== 1)
    throw new AidError('CONFIG', 'exactly one domain says who signs in with a key');
  const auth = new Auth(ledger.chain, lookups[0]!, {
    now: node.clock,
    signInsPerMinute: node.spamLimits.signInsPerKeyPerMinute,
  });
  let doc: Record<string, unknown> = {};
  const declared: Route[] = [
    ...logRoutes(node),
    ...authRoutes(auth),
    ...domains.flatMap((d) => d.routes?.(ctx) ?? []),
    route({
      id: 'openapi',
      method: 'GET',
      path: '/v1/openapi.json',
      summary: 'This document: every route of the node, and every transaction type',
      response: z.record(z.string(), z.unknown()).describe('an OpenAPI 3.1 document'),
      handler: () => doc,
    }),
  ];
  doc = openApiDocument({
    version: opts.version ?? '0.0.0',
    routes: declared,
    // The transaction types of the newest protocol the node's registry has.
    protocol: ledger.registry.get(ledger.registry.latest),
  });
  mountRoutes(app, declared, auth);
  return app;
}
