/**
 * Signing in (src/api/auth.ts): a challenge for a key, a token for the signed challenge, and who
 * the token speaks for.
 */
import { z } from 'zod';
import { route, ViewerSchema, type Route } from '../runtime/routes.js';
import type { Auth } from './auth.js';

const object = { error: 'the body is a JSON object' };
const string = { error: 'send {"key","challenge","sig"}' };

export function authRoutes(auth: Auth): Route[] {
  return [
    route({
      id: 'challenge',
      method: 'POST',
      path: '/v1/auth/challenge',
      summary:
        'Start signing in: a one-time challenge for a member or applicant key (opaque, good for 2 minutes, not stored by the node)',
      body: z.object(
        {
          key: z
            .string()
            .regex(/^[0-9a-f]{64}$/, 'key is 32 bytes of lowercase hex')
            .describe('an Ed25519 public key, hex'),
        },
        object,
      ),
      response: z.object({
        challenge: z.string(),
        expires: z.number().int().describe('ms since the epoch'),
      }),
      errors: { 400: 'not a JSON object with a key of 32 bytes of lowercase hex' },
      handler: (req) => auth.challenge(req.body.key),
    }),
    route({
      id: 'token',
      method: 'POST',
      path: '/v1/auth/token',
      summary:
        'Exchange the challenge signed with Ed25519 over "aidledger-auth/v1\\n<chain>\\n<challenge>" for a 15-minute bearer token',
      body: z.object(
        { key: z.string(string), challenge: z.string(string), sig: z.string(string) },
        object,
      ),
      response: z.object({
        token: z.string(),
        expires: z.number().int().describe('ms since the epoch'),
        viewer: ViewerSchema,
      }),
      errors: {
        401: 'unknown, expired or wrongly signed challenge; unknown or revoked key',
        429: 'RATE_LIMITED: too many sign-ins of this key this minute; Retry-After',
      },
      handler: (req) => auth.token(req.body),
    }),
    route({
      id: 'me',
      method: 'GET',
      path: '/v1/me',
      summary: 'Who the token speaks for',
      access: 'signed-in',
      response: z.object({ viewer: ViewerSchema }),
      handler: (req) => ({ viewer: req.viewer }),
    }),
  ];
}
