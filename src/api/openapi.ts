/**
 * The OpenAPI 3.1 document served at `GET /v1/openapi.json`, generated from the route
 * declarations the server mounts (their zod schemas become JSON Schema 2020-12, which OpenAPI 3.1
 * uses as is) and from the contracts of the newest protocol: a payload and a private-facts schema
 * for every transaction type. Schemas that carry an `id` (`.meta({ id })`) become shared
 * components.
 */
import { z } from 'zod';
import type { Protocol } from '../runtime/contract.js';
import type { Route } from '../runtime/routes.js';

type Json = Record<string, unknown>;

/** An error answer, `{"error":{"code","message","details"}}`, as every refusal has it. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('a stable code; tests and clients branch on it, never on text'),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).exactOptional(),
    }),
  })
  .meta({ id: 'Error' });

const COMPONENT = '#/components/schemas/';

/** Turns zod schemas into JSON Schema, gathering the named ones as components. */
class Schemas {
  readonly components: Record<string, Json> = {};

  json(schema: z.ZodType): Json {
    const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    const { $schema: _dialect, $defs, ...rest } = out;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, Json>))
      this.components[id] ??= relink(def);
    return relink(rest);
  }
}

/** Points the `$defs` references of one conversion at the document's components. */
function relink(schema: Json): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', `"${COMPONENT}`)) as Json;
}

/** The parameters of one place (path or query) from the schema of that place's object. */
function parameters(s: Schemas, schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const js = s.json(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, { description, ...rest }]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    ...(typeof description === 'string' ? { description } : {}),
    schema: rest,
  }));
}

function operation(s: Schemas, r: Route): Json {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: s.json(ErrorBodySchema) } },
  });
  const success = {
    content: { [r.type ?? 'application/json']: { schema: s.json(r.response) } },
  };
  const refusals: Record<number, string> = {};
  if (r.params || r.query || r.body) refusals[400] = 'a parameter or the body does not parse';
  if (r.access === 'signed-in' || r.access === 'node') refusals[401] = 'not signed in';
  if (r.access === 'node') refusals[403] = 'not a node of the consortium';
  Object.assign(refusals, r.errors);
  const body = r.body ?? r.bodyText;
  return {
    operationId: r.id,
    summary: r.summary,
    ...(r.description === undefined ? {} : { description: r.description }),
    ...(r.access === 'signed-in' || r.access === 'node' ? { security: [{ bearer: [] }] } : {}),
    ...(r.params || r.query
      ? { parameters: [...parameters(s, r.params, 'path'), ...parameters(s, r.query, 'query')] }
      : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: s.json(body) } },
          },
        }
      : r.rawBody
        ? {
            requestBody: {
              required: true,
              description: r.rawBody.description,
              content: {
                [r.rawBody.mediaType]: {
                  schema: { type: 'string', format: 'binary', maxLength: r.rawBody.limit },
                },
              },
            },
          }
        : {}),
    responses: {
      200: { description: r.response.description ?? 'success', ...success },
      ...Object.fromEntries(
        Object.entries(r.alsoAnswers ?? {}).map(([status, d]) => [
          status,
          { description: d, ...success },
        ]),
      ),
      ...Object.fromEntries(Object.entries(refusals).map(([status, d]) => [status, error(d)])),
    },
  };
}

/** A payload and a private-facts schema for every transaction type of `protocol`. */
function actionSchemas(s: Schemas, protocol: Protocol): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, c] of protocol.contracts) {
    for (const [action, a] of Object.entries(c.actions)) {
      const roles =
        a.roles === 'member' ? 'any member' : a.roles.join(', ') || 'self-signed by a new key';
      out[`${name}.${action}`] = {
        description: `roles: ${roles}; private part: ${a.private ?? 'none'}`,
        type: 'object',
        properties: {
          payload: s.json(a.schema),
          ...(a.facts ? { private: s.json(a.facts) } : {}),
        },
      };
    }
  }
  return out;
}

/**
 * The document for `routes` (each one an operation under its path) and the transaction types of
 * `protocol`.
 */
export function openApiDocument(opts: {
  version: string;
  routes: readonly Route[];
  protocol: Protocol;
}): Json {
  const s = new Schemas();
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of opts.routes) (paths[r.path] ??= {})[r.method.toLowerCase()] = operation(s, r);
  const actions = actionSchemas(s, opts.protocol);
  return {
    openapi: '3.1.0',
    info: {
      title: 'AidLedger node API',
      version: opts.version,
      description:
        'A permissioned ledger for medical aid. Submissions must be RFC 8785 canonical JSON. Errors are {"error":{"code","message","details"}}.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a token from POST /v1/auth/token' },
      },
      /** Every transaction type: its payload and, when it has one, its private facts. */
      'x-actions': actions,
      schemas: s.components,
    },
  };
}
