/**
 * Serves the web app (built into dist/web) at `/`, beside the API on the same origin: hashed
 * assets cached for a year and sent brotli- or gzip-compressed when the browser takes it (copies
 * written at build time), the page itself never cached, and any other non-API address answered
 * with the app so that links such as `/verify/<txid>` from a printed QR code open directly.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The built app beside the compiled server (dist/src/api → dist/web). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/** The page may load only what the node itself serves; nothing may frame it. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine sets computed styles inline.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Whether a request is for the app (not the API, not a missing asset). */
function wantsApp(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.url.split('?')[0]!;
  return !path.startsWith('/v1/') && path !== '/v1' && !path.startsWith('/assets/');
}

/**
 * Registers the app when it has been built; returns false (and serves only the API) otherwise.
 * @returns a not-found handler that answers app addresses with the page
 */
export function registerWebApp(
  app: FastifyInstance,
  root: string = DEFAULT_WEB_ROOT,
): ((req: FastifyRequest, reply: FastifyReply) => boolean) | undefined {
  if (!existsSync(`${root}/index.html`)) return undefined;
  // Loaded with the other plugins when the server starts; not encapsulated (fastify-plugin).
  void app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    // The build writes .br and .gz beside each asset: sent as the browser accepts, else plain.
    preCompressed: true,
    cacheControl: false,
    setHeaders(res, path) {
      res.setHeader(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.addHook('onSend', async (_req, reply) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('content-security-policy', CSP);
      reply.header('referrer-policy', 'no-referrer');
    }
  });
  return (req, reply) => {
    if (!wantsApp(req)) return false;
    void reply.header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  };
}
