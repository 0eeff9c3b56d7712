/**
 * The REST API's OpenAPI 3.1 description, written by hand (served at `/openapi.json`). The
 * schemas state the units of the wire contract: money in integer euro cents, shares in basis
 * points, dates `YYYY-MM-DD`, times RFC 3339 UTC with milliseconds.
 */

type Schema = Readonly<Record<string, unknown>>;

interface Operation {
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

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const cents = (description: string): Schema => ({
  type: 'integer',
  minimum: 1,
  maximum: 9007199254740991,
  description: `${description} (euro cents)`,
});
const kvk: Schema = { type: 'string', pattern: '^\\d{8}$', description: 'KvK (Dutch trade register) number' };
const date: Schema = { type: 'string', format: 'date', description: 'YYYY-MM-DD' };
const time: Schema = { type: 'string', format: 'date-time', description: 'RFC 3339 UTC with milliseconds' };
const schemeId: Schema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' };
const obj = (
  properties: Record<string, Schema>,
  required: readonly string[] = Object.keys(properties),
): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});
const json = (schema: Schema, description: string): Schema => ({
  description,
  content: { 'application/json': { schema } },
});
const body = (name: string): Schema => ({
  required: true,
  content: { 'application/json': { schema: ref(name) } },
});
const path = (name: string, schema: Schema, description: string): Schema => ({
  name,
  in: 'path',
  required: true,
  schema,
  description,
});
const committed = (key: string, schema: string): Schema => obj({ [key]: ref(schema), tx: ref('TxRef') });

const errors = (...statuses: number[]): Record<string, Schema> => {
  const what: Record<number, string> = {
    400: 'Malformed input: the field and why (INVALID_INPUT, INVALID_BODY)',
    401: 'No valid token (UNAUTHENTICATED)',
    403: 'Caller of another organisation or role (FORBIDDEN), or not the scheme owner (NOT_SCHEME_OWNER)',
    404: 'Unknown scheme, undertaking, application or grant',
    409: 'A business rule refused, with its figures (DE_MINIMIS_CEILING, SCHEME_BUDGET…), possibly by the co-endorser (refusedBy)',
    413: 'Request body over the limit (PAYLOAD_TOO_LARGE)',
    503: 'Peer, orderers or an endorser unavailable',
    504: 'No commit code in time (COMMIT_TIMEOUT, with txId)',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), json(ref('Error'), what[s] ?? 'error')]));
};
const WRITE_ERRORS = [400, 401, 403, 404, 409, 413, 503, 504];
const READ_ERRORS = [400, 401, 404, 503];

const write = (
  operationId: string,
  summary: string,
  request: string,
  response: Schema,
  description?: string,
  parameters: readonly Schema[] = [],
): Operation => ({
  operationId,
  summary,
  ...(description ? { description } : {}),
  tags: ['subsidies'],
  parameters,
  requestBody: body(request),
  responses: {
    '201': json(response, 'Committed: the result and where it is in the chain'),
    ...errors(...WRITE_ERRORS),
  },
});

const read = (
  operationId: string,
  summary: string,
  response: Schema,
  parameters: readonly Schema[],
  description?: string,
): Operation => ({
  operationId,
  summary,
  ...(description ? { description } : {}),
  tags: ['subsidies'],
  parameters,
  responses: { '200': json(response, 'The committed state'), ...errors(...READ_ERRORS) },
});

const ops = (operationId: string, summary: string, response: Schema): Operation => ({
  operationId,
  summary,
  tags: ['operations'],
  security: [],
  responses: { '200': json(response, 'ok') },
});

const P = {
  schemeId: path('schemeId', schemeId, 'Scheme id'),
  sequence: path(
    'sequence',
    { type: 'string', pattern: '^[1-9]\\d{0,15}$' },
    'Grant number within the scheme',
  ),
  applicationId: path(
    'applicationId',
    { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    'Application id',
  ),
  kvk: path('kvk', kvk, 'KvK number'),
  childKvk: path('childKvk', kvk, 'KvK number of the controlled undertaking'),
};

const aidKind: Schema = {
  type: ['string', 'null'],
  enum: ['GENERAL', 'SGEI', 'AGRICULTURE', 'FISHERIES', null],
};
const figures: Schema = {
  type: 'object',
  description:
    'The figures behind a refusal (ceilingCents, alreadyGrantedInWindowCents, requestedCents, leftCents, windowFrom, windowTo, groupMembers, limitCents, usedCents…)',
};
const writeRef: Schema = obj({
  block: { type: 'integer' },
  tx: { type: 'integer' },
  txId: { type: 'string' },
  txTime: time,
  blockTime: time,
  creatorMspId: { type: 'string' },
});

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Civic Ledger subsidies service',
    version: '1.0.0',
    description:
      'Grants across authorities under the EU de minimis ceilings. Every write is one ledger transaction, built on the ' +
      "organisation's own peer, endorsed where the scheme requires, ordered and committed; the answer names its block " +
      'and transaction. One instance acts for one organisation; authenticate with a short-lived EdDSA JWT whose x5c ' +
      "certificate is issued by your organisation's CA (`civic token --user <name> --aud subsidies`).",
  },
  tags: [
    {
      name: 'subsidies',
      description: 'Schemes, undertakings, applications, grants, payments, recoveries and the aid register',
    },
    { name: 'operations', description: 'Health, readiness, metrics, this document' },
  ],
  security: [{ bearer: [] }],
  paths: {
    '/schemes': {
      post: write(
        'registerScheme',
        'Register a scheme of the caller organisation',
        'SchemeInput',
        committed('scheme', 'Scheme'),
      ),
    },
    '/schemes/{schemeId}': {
      get: read(
        'getScheme',
        'Scheme terms, budget used and left',
        obj({
          scheme: ref('Scheme'),
          budget: ref('SchemeBudget'),
          lastChange: { oneOf: [writeRef, { type: 'null' }] },
        }),
        [P.schemeId],
      ),
    },
    '/schemes/{schemeId}/applications': {
      post: write(
        'apply',
        'Record an application under the scheme',
        'ApplicationInput',
        committed('application', 'Application'),
        undefined,
        [P.schemeId],
      ),
    },
    '/schemes/{schemeId}/applications/{applicationId}/refusal': {
      post: write(
        'refuseApplication',
        'Refuse an application, with the rule it rests on',
        'RefusalInput',
        committed('application', 'Application'),
        undefined,
        [P.schemeId, P.applicationId],
      ),
    },
    '/schemes/{schemeId}/grants': {
      post: write(
        'decideGrant',
        'Decide a grant',
        'GrantInput',
        committed('decision', 'GrantDecision'),
        'Checks maximum per grant, share of cost, maximum per applicant, budget and the de minimis ceilings of the single ' +
          'undertaking across all authorities. Above the scheme endorsement threshold the co-endorser re-checks on its own ' +
          'state and signs, or refuses (409 with refusedBy and its figures).',
        [P.schemeId],
      ),
    },
    '/schemes/{schemeId}/grants/{sequence}': {
      get: read(
        'getGrant',
        'A grant and the block and transaction of its decision',
        obj({ grant: ref('Grant'), decision: { oneOf: [writeRef, { type: 'null' }] } }),
        [P.schemeId, P.sequence],
      ),
    },
    '/schemes/{schemeId}/grants/{sequence}/payments': {
      post: write(
        'recordPayment',
        'Record a payment',
        'PaymentInput',
        committed('grant', 'Grant'),
        undefined,
        [P.schemeId, P.sequence],
      ),
    },
    '/schemes/{schemeId}/grants/{sequence}/recoveries': {
      post: write(
        'recordRecovery',
        'Record a recovery',
        'RecoveryInput',
        committed('grant', 'Grant'),
        undefined,
        [P.schemeId, P.sequence],
      ),
    },
    '/undertakings': {
      post: write(
        'registerUndertaking',
        'Register an undertaking (its name stays in the private store; the chain gets a salted hash)',
        'UndertakingInput',
        committed('undertaking', 'Undertaking'),
      ),
    },
    '/undertakings/{kvk}': {
      get: read(
        'getUndertaking',
        'An undertaking; its name only for the organisation that registered it',
        obj({ undertaking: ref('Undertaking'), name: { type: ['string', 'null'] } }),
        [P.kvk],
      ),
    },
    '/undertakings/{kvk}/aid': {
      get: read(
        'getAidRegister',
        'The aid register of the single undertaking over the three-year window',
        ref('AidRegisterView'),
        [
          P.kvk,
          {
            name: 'asOf',
            in: 'query',
            required: false,
            schema: date,
            description: 'Last day of the window (default today)',
          },
        ],
        'Every grant to any member of the single undertaking dated in the window: who granted it, when, the block and transaction of its decision; totals, ceilings used and left.',
      ),
    },
    '/undertakings/{kvk}/private-data': {
      delete: {
        operationId: 'erasePrivateData',
        summary:
          "Erase the undertaking's name and salt from this organisation's private store (the chain stays valid)",
        tags: ['subsidies'],
        parameters: [P.kvk],
        responses: {
          '200': json(obj({ kvk, erased: { type: 'boolean' } }), 'Erased or absent'),
          ...errors(400, 401, 403),
        },
      },
    },
    '/undertakings/{kvk}/controls': {
      post: write(
        'linkUndertakings',
        'Record that {kvk} controls another undertaking',
        'LinkInput',
        committed('link', 'Link'),
        undefined,
        [P.kvk],
      ),
    },
    '/undertakings/{kvk}/controls/{childKvk}/end': {
      post: write(
        'unlinkUndertakings',
        'End a control link',
        'UnlinkInput',
        committed('link', 'Link'),
        undefined,
        [P.kvk, P.childKvk],
      ),
    },
    '/mergers': {
      post: write(
        'recordMerger',
        'Record a merger or acquisition (Art. 3(8))',
        'MergerInput',
        committed('undertaking', 'Undertaking'),
      ),
    },
    '/splits': {
      post: write(
        'recordSplit',
        'Record a split (Art. 3(9))',
        'SplitInput',
        obj({ registers: { type: 'array', items: { type: 'object' } }, tx: ref('TxRef') }),
      ),
    },
    '/healthz': { get: ops('healthz', 'The process serves', obj({ status: { type: 'string' } })) },
    '/readyz': {
      get: ops(
        'readyz',
        'The peer and the private store answer (503 otherwise)',
        obj({
          status: { type: 'string' },
          peer: { type: 'string' },
          height: { type: 'integer' },
          privateStore: { type: 'string' },
        }),
      ),
    },
    '/metrics': {
      get: {
        ...ops('metrics', 'Prometheus metrics', { type: 'string' }),
        responses: { '200': { description: 'text/plain exposition format' } },
      },
    },
    '/openapi.json': { get: ops('openapi', 'This document', { type: 'object' }) },
  },
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat:
          'JWT (EdDSA, x5c = base64 DER certificate of the caller; claims sub = certificate CN, aud = "subsidies", exp - iat <= 15 min)',
      },
    },
    schemas: {
      Error: obj(
        {
          error: obj(
            {
              code: { type: 'string' },
              message: { type: 'string' },
              rule: { type: 'string' },
              article: { type: ['string', 'null'] },
              figures,
              field: { type: 'string' },
              refusedBy: { type: 'string', description: 'mspId of the co-endorser that refused' },
              txId: { type: 'string' },
            },
            ['code', 'message'],
          ),
        },
        ['error'],
      ),
      TxRef: obj({
        txId: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        block: { type: 'integer' },
        action: { type: 'string' },
        txTime: time,
        endorsedBy: { type: 'array', items: { type: 'string' } },
        attempts: {
          type: 'integer',
          description: 'Times the transaction was built (1 + rebuilds after conflicts)',
        },
      }),
      SchemeInput: obj(
        {
          id: schemeId,
          title: { type: 'string', maxLength: 500 },
          budgetCents: cents('Budget'),
          maxPerApplicantCents: cents('Most granted to one applicant over the scheme'),
          shareBasisPoints: {
            type: 'integer',
            minimum: 1,
            maximum: 10000,
            description: 'Share of the eligible cost paid (5000 = 50 %)',
          },
          maxPerGrantCents: cents('Most per grant'),
          deMinimis: aidKind,
          endorsement: {
            oneOf: [
              obj({ thresholdCents: { type: 'integer', minimum: 0 }, coEndorser: { type: 'string' } }),
              { type: 'null' },
            ],
            description: 'Grants above thresholdCents also need the co-endorser authority',
          },
        },
        ['id', 'title', 'budgetCents', 'maxPerApplicantCents', 'shareBasisPoints', 'maxPerGrantCents'],
      ),
      Scheme: {
        type: 'object',
        description: 'SchemeRecord: the terms plus authority, grantedCents, grantCount, registeredAt',
      },
      SchemeBudget: obj({
        schemeId,
        authority: { type: 'string' },
        title: { type: 'string' },
        budgetCents: { type: 'integer' },
        usedCents: { type: 'integer' },
        leftCents: { type: 'integer' },
        grantCount: { type: 'integer' },
        deMinimis: aidKind,
      }),
      UndertakingInput: obj(
        {
          kvk,
          name: { type: 'string', maxLength: 300, description: 'Kept off-chain' },
          publicBody: { type: 'boolean' },
        },
        ['kvk', 'name'],
      ),
      Undertaking: {
        type: 'object',
        description:
          'UndertakingRecord: privateDataHash, registeredBy, controls, controlledBy, absorbed, mergedInto, splitInto',
      },
      LinkInput: obj({
        childKvk: kvk,
        basis: { enum: ['VOTING_MAJORITY', 'BOARD_MAJORITY', 'DOMINANT_INFLUENCE', 'VOTING_AGREEMENT'] },
        since: date,
      }),
      UnlinkInput: obj({ until: date }),
      Link: obj({ parent: ref('Undertaking'), child: ref('Undertaking') }),
      MergerInput: obj({
        survivingKvk: kvk,
        mergedKvks: { type: 'array', items: kvk, minItems: 1, maxItems: 32 },
        effectiveDate: date,
      }),
      SplitInput: obj(
        {
          sourceKvk: kvk,
          successors: { type: 'array', items: kvk, minItems: 2, maxItems: 16 },
          effectiveDate: date,
          byGrant: { type: ['array', 'null'], items: obj({ grantId: { type: 'string' }, kvk }) },
          byEquity: {
            type: ['array', 'null'],
            items: obj({ kvk, basisPoints: { type: 'integer', minimum: 1, maximum: 10000 } }),
          },
        },
        ['sourceKvk', 'successors', 'effectiveDate'],
      ),
      ApplicationInput: obj({
        applicationId: { type: 'string' },
        kvk,
        requestedCents: cents('Requested'),
        eligibleCostCents: cents('Eligible cost'),
      }),
      Application: {
        type: 'object',
        description: 'ApplicationRecord: status SUBMITTED, GRANTED or REFUSED, grantId, refusal',
      },
      RefusalInput: obj({
        rule: { type: 'string', description: 'A rule code, or DISCRETIONARY' },
        message: { type: 'string', maxLength: 500 },
      }),
      GrantInput: obj(
        {
          kvk,
          amountCents: cents('Amount granted'),
          eligibleCostCents: cents('Eligible cost'),
          applicationId: { type: ['string', 'null'] },
        },
        ['kvk', 'amountCents', 'eligibleCostCents'],
      ),
      GrantDecision: {
        type: 'object',
        description:
          'grant, scheme after the grant, register, application, groupMembers, endorsement {action, coEndorser}, deMinimisLeftCents',
      },
      Grant: {
        type: 'object',
        description: 'GrantRecord: amounts, dates, aid kind, co-endorser, payments and recoveries',
      },
      PaymentInput: obj({ amountCents: cents('Paid') }),
      RecoveryInput: obj({
        amountCents: cents('Recovered'),
        rightWithdrawn: { type: 'boolean' },
        reason: { type: 'string', maxLength: 500 },
      }),
      AidRegisterView: {
        type: 'object',
        description:
          'kvk, members of the single undertaking, window {from, to}, entries [{grantId, kvk, schemeId, authority, grantDate, grantedCents, ' +
          'countedCents, aidKind, ref {block, tx, txId}, decidedAt, committedAt}], totalsCents per kind, ceilings [{id, article, ' +
          'ceilingCents, usedCents, leftCents}], roomLeftCents per kind, headlineCeilingCents',
      },
    },
  },
};
