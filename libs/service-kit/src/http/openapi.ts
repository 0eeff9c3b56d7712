/**
 * Helpers for a service's hand-written OpenAPI 3.1 document (served at `/openapi.json`): schema
 * shorthands, the error shape, the bearer-token security scheme and the ops endpoints every
 * service has, so each service writes only its own routes.
 */

export type Schema = Readonly<Record<string, unknown>>;

export interface Operation {
  readonly summary: string;
  readonly description?: string;
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly parameters?: readonly Schema[];
  readonly requestBody?: Schema;
  readonly responses: Readonly<Record<string, Schema>>;
}

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, Schema>>;
    readonly securitySchemes: Readonly<Record<string, Schema>>;
  };
  readonly security: readonly Record<string, readonly string[]>[];
}

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const obj = (
  properties: Record<string, Schema>,
  required: readonly string[] = Object.keys(properties),
): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
export const json = (schema: Schema, description: string): Schema => ({
  description,
  content: { 'application/json': { schema } },
});
export const jsonBody = (schema: Schema): Schema => ({
  required: true,
  content: { 'application/json': { schema } },
});
export const pathParam = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'path',
  required: true,
  schema,
  description,
});
export const queryParam = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
export const date: Schema = { type: 'string', format: 'date', description: 'YYYY-MM-DD' };
export const time: Schema = {
  type: 'string',
  format: 'date-time',
  description: 'RFC 3339 UTC with milliseconds',
};
export const hex64: Schema = { type: 'string', pattern: '^[0-9a-f]{64}$' };

/** `{ error: { code, message, … } }`. */
export const ERROR_SCHEMA: Schema = obj(
  {
    error: {
      type: 'object',
      additionalProperties: true,
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
  ['error'],
);

/** The error answers, by status, referring to the `Error` schema. */
export function errorResponses(...statuses: readonly number[]): Record<string, Schema> {
  const what: Record<number, string> = {
    400: 'malformed input',
    401: 'no or an invalid token',
    403: 'organisation or role not allowed, or a permission rule',
    404: 'unknown record',
    409: 'a business rule refused, or a conflict',
    413: 'body too large',
    503: 'ledger or store unavailable',
    504: 'commit not seen in time',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), json(ref('Error'), what[s] ?? 'error')]));
}

/** The bearer-token scheme: a certificate-bound EdDSA JWT for the service's audience. */
export function bearerScheme(audience: string): Schema {
  return {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `EdDSA JWT signed by the caller's identity key, certificate in x5c, aud "${audience}" (gateway tokens, at most 15 min)`,
  };
}

/** The kit's ops endpoints (no authentication). */
export function opsPaths(): Record<string, Record<string, Operation>> {
  const op = (operationId: string, summary: string, responses: Record<string, Schema>): Operation => ({
    summary,
    operationId,
    tags: ['ops'],
    security: [],
    responses,
  });
  return {
    '/healthz': { get: op('healthz', 'The process serves', { '200': json({ type: 'object' }, 'ok') }) },
    '/readyz': {
      get: op('readyz', 'Peer, channel config and private store answer', {
        '200': json({ type: 'object' }, 'ready'),
        ...errorResponses(503),
      }),
    },
    '/metrics': {
      get: op('metrics', 'Prometheus metrics', {
        '200': {
          description: 'text exposition format',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      }),
    },
    '/openapi.json': {
      get: op('openapi', 'This document', { '200': json({ type: 'object' }, 'OpenAPI 3.1') }),
    },
  };
}
