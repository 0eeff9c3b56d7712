/**
 * Helpers for a service's hand-written OpenAPI 3.1 document (served at `/openapi.json`): schema
 * shorthands, the error and transaction-reference shapes, read and write operations with their
 * error answers, the bearer-token security scheme and the ops endpoints every service has, and
 * the document around them (`serviceDocument`), so each service writes only its own routes and
 * schemas.
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
    readonly parameters: Readonly<Record<string, Schema>>;
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
    503: 'ledger or store unavailable, or PEER_BEHIND: the peer did not reach `minBlock` in time (Retry-After: 1)',
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

/**
 * The `minBlock` consistency token every route with a token accepts (ledger/min-block.ts), as
 * shared parameters: the query parameter and the header (the query's value wins when both are
 * given).
 */
export const MIN_BLOCK_PARAMETERS: Readonly<Record<string, Schema>> = {
  MinBlock: {
    name: 'minBlock',
    in: 'query',
    required: false,
    schema: { type: 'string', pattern: '^[0-9]+$' },
    description:
      "Read your writes: wait (at most MIN_BLOCK_WAIT_MS) until this instance's peer has committed this block, e.g. the `tx.block` of a write answered by another organisation's instance; 503 PEER_BEHIND (`peerId`, `height`, `minBlock`) with Retry-After: 1 when it has not. A non-negative decimal integer, else 400 INVALID_INPUT naming minBlock.",
  },
  CivicMinBlock: {
    name: 'Civic-Min-Block',
    in: 'header',
    required: false,
    schema: { type: 'string', pattern: '^[0-9]+$' },
    description: 'The same as the minBlock query parameter, which wins when both are given.',
  },
};

const MIN_BLOCK_REFS: readonly Schema[] = Object.keys(MIN_BLOCK_PARAMETERS).map((name) => ({
  $ref: `#/components/parameters/${name}`,
}));

/** The error answers of a write: malformed, token, permission, unknown, rule, size, ledger, commit. */
export const WRITE_ERRORS: readonly number[] = [400, 401, 403, 404, 409, 413, 503, 504];
/** The error answers of a read. */
export const READ_ERRORS: readonly number[] = [400, 401, 403, 404, 503];

export interface OperationSpec {
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly parameters?: readonly Schema[];
  /** The JSON request body's schema. */
  readonly body?: Schema;
  /** The answer's schema (201 for a write, 200 for a read). */
  readonly answer: Schema;
  /** What the answer is (default `committed` for a write, `ok` for a read). */
  readonly answerDescription?: string;
  /** Error statuses (default WRITE_ERRORS or READ_ERRORS). */
  readonly errors?: readonly number[];
}

function operation(spec: OperationSpec, status: '200' | '201', errors: readonly number[]): Operation {
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    operationId: spec.operationId,
    tags: [spec.tag],
    parameters: [...(spec.parameters ?? []), ...MIN_BLOCK_REFS],
    ...(spec.body ? { requestBody: jsonBody(spec.body) } : {}),
    responses: {
      [status]: json(spec.answer, spec.answerDescription ?? (status === '201' ? 'committed' : 'ok')),
      // Every route may answer 400 and 503 for its minBlock.
      ...errorResponses(...[...new Set([...(spec.errors ?? errors), 400, 503])].sort((a, b) => a - b)),
    },
  };
}

/** A write: one transaction (after `minBlock`, when given), answered 201 with the result and where it went (`committedAnswer`). */
export function writeOperation(spec: OperationSpec): Operation {
  return operation(spec, '201', WRITE_ERRORS);
}

/** A read: answered 200 (on the peer's state at `minBlock` or later, when given). */
export function readOperation(spec: OperationSpec): Operation {
  return operation(spec, '200', READ_ERRORS);
}

/** Where a committed write went (the kit's TxRef), as every 201 answer carries it. */
export const TX_REF_SCHEMA: Schema = obj({
  txId: hex64,
  block: { type: 'integer' },
  action: { type: 'string' },
  txTime: time,
  endorsedBy: {
    type: 'array',
    items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9-]{0,63}$' },
    description: 'Other organisations whose endorsers signed',
  },
  attempts: {
    type: 'integer',
    description: 'Times the transaction was built (1 + rebuilds after conflicts)',
  },
});

/** A write's answer: `{ <field>: <schema>, tx: TxRef }`. */
export function committedAnswer(field: string, schema: Schema): Schema {
  return obj({ [field]: schema, tx: ref('TxRef') });
}

export interface ServiceDocumentSpec {
  /** The service's name: the token audience of the bearer scheme. */
  readonly service: string;
  readonly title: string;
  readonly version: string;
  readonly description: string;
  /** The service's tags (the kit adds `ops`). */
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  /** The service's routes (the kit adds the ops endpoints). */
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  /** The service's schemas (the kit adds `Error` and `TxRef`). */
  readonly schemas: Readonly<Record<string, Schema>>;
}

/** The whole document: the service's parts, the ops endpoints, the shared schemas and parameters, bearer tokens. */
export function serviceDocument(spec: ServiceDocumentSpec): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: spec.title, version: spec.version, description: spec.description },
    tags: [...spec.tags, { name: 'ops', description: 'health, readiness, metrics, this document' }],
    paths: { ...spec.paths, ...opsPaths() },
    components: {
      schemas: { Error: ERROR_SCHEMA, TxRef: TX_REF_SCHEMA, ...spec.schemas },
      parameters: MIN_BLOCK_PARAMETERS,
      securitySchemes: { bearer: bearerScheme(spec.service) },
    },
    security: [{ bearer: [] }],
  };
}
