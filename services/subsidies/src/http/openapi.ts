/**
 * The REST API's OpenAPI 3.1 description, written by hand (served at `/openapi.json`). The
 * schemas state the units of the wire contract: money in integer euro cents, shares in basis
 * points, dates `YYYY-MM-DD`, times RFC 3339 UTC with milliseconds.
 */
import {
  committedAnswer,
  date,
  hex64,
  obj,
  pathParam,
  queryParam,
  readOperation,
  ref,
  serviceDocument,
  time,
  writeOperation,
  type OpenApiDocument,
  type Operation,
  type OperationSpec,
  type Schema,
} from '@civic/service-kit';

const cents = (description: string): Schema => ({
  type: 'integer',
  minimum: 1,
  maximum: 9007199254740991,
  description: `${description} (euro cents)`,
});
const kvk: Schema = { type: 'string', pattern: '^\\d{8}$', description: 'KvK (Dutch trade register) number' };
const schemeId: Schema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' };
const committed = (key: string, schema: string): Schema => committedAnswer(key, ref(schema));

/** Every route is tagged `subsidies`; answers say what they hold. */
const write = (spec: Omit<OperationSpec, 'tag'>): Operation =>
  writeOperation({
    tag: 'subsidies',
    answerDescription: 'Committed: the result and where it is in the chain',
    ...spec,
  });
const read = (spec: Omit<OperationSpec, 'tag'>): Operation =>
  readOperation({
    tag: 'subsidies',
    answerDescription: 'The committed state',
    errors: [400, 401, 404, 503],
    ...spec,
  });

const P = {
  schemeId: pathParam('schemeId', schemeId, 'Scheme id'),
  sequence: pathParam(
    'sequence',
    { type: 'string', pattern: '^[1-9]\\d{0,15}$' },
    'Grant number within the scheme',
  ),
  applicationId: pathParam(
    'applicationId',
    { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    'Application id',
  ),
  kvk: pathParam('kvk', kvk, 'KvK number'),
  childKvk: pathParam('childKvk', kvk, 'KvK number of the controlled undertaking'),
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

export const openApiDocument: OpenApiDocument = serviceDocument({
  service: 'subsidies',
  title: 'Civic Ledger subsidies service',
  version: '1.0.0',
  description:
    'Grants across authorities under the EU de minimis ceilings. Every write is one ledger transaction, built on the ' +
    "organisation's own peer, endorsed where the scheme requires, ordered and committed; the answer names its block " +
    'and transaction. One instance acts for one organisation; authenticate with a short-lived EdDSA JWT whose x5c ' +
    "certificate is issued by your organisation's CA (`civic token --user <name> --aud subsidies`).",
  tags: [
    {
      name: 'subsidies',
      description: 'Schemes, undertakings, applications, grants, payments, recoveries and the aid register',
    },
  ],
  paths: {
    '/schemes': {
      post: write({
        operationId: 'registerScheme',
        summary: 'Register a scheme of the caller organisation',
        body: ref('SchemeInput'),
        answer: committed('scheme', 'Scheme'),
      }),
    },
    '/schemes/{schemeId}': {
      get: read({
        operationId: 'getScheme',
        summary: 'Scheme terms, budget used and left',
        parameters: [P.schemeId],
        answer: obj({
          scheme: ref('Scheme'),
          budget: ref('SchemeBudget'),
          lastChange: { oneOf: [writeRef, { type: 'null' }] },
        }),
      }),
    },
    '/schemes/{schemeId}/applications': {
      post: write({
        operationId: 'apply',
        summary: 'Record an application under the scheme',
        parameters: [P.schemeId],
        body: ref('ApplicationInput'),
        answer: committed('application', 'Application'),
      }),
    },
    '/schemes/{schemeId}/applications/{applicationId}/refusal': {
      post: write({
        operationId: 'refuseApplication',
        summary: 'Refuse an application, with the rule it rests on',
        parameters: [P.schemeId, P.applicationId],
        body: ref('RefusalInput'),
        answer: committed('application', 'Application'),
      }),
    },
    '/schemes/{schemeId}/grants': {
      post: write({
        operationId: 'decideGrant',
        summary: 'Decide a grant',
        description:
          'Checks maximum per grant, share of cost, maximum per applicant, budget and the de minimis ceilings of the single ' +
          'undertaking across all authorities. Above the scheme endorsement threshold the co-endorser re-checks on its own ' +
          'state and signs, or refuses (409 with refusedBy and its figures).',
        parameters: [P.schemeId],
        body: ref('GrantInput'),
        answer: committed('decision', 'GrantDecision'),
      }),
    },
    '/schemes/{schemeId}/grants/{sequence}': {
      get: read({
        operationId: 'getGrant',
        summary: 'A grant and the block and transaction of its decision',
        parameters: [P.schemeId, P.sequence],
        answer: obj({ grant: ref('Grant'), decision: { oneOf: [writeRef, { type: 'null' }] } }),
      }),
    },
    '/schemes/{schemeId}/grants/{sequence}/payments': {
      post: write({
        operationId: 'recordPayment',
        summary: 'Record a payment',
        parameters: [P.schemeId, P.sequence],
        body: ref('PaymentInput'),
        answer: committed('grant', 'Grant'),
      }),
    },
    '/schemes/{schemeId}/grants/{sequence}/recoveries': {
      post: write({
        operationId: 'recordRecovery',
        summary: 'Record a recovery',
        parameters: [P.schemeId, P.sequence],
        body: ref('RecoveryInput'),
        answer: committed('grant', 'Grant'),
      }),
    },
    '/undertakings': {
      post: write({
        operationId: 'registerUndertaking',
        summary:
          'Register an undertaking (its name stays in the private store; the chain gets a salted hash)',
        body: ref('UndertakingInput'),
        answer: committed('undertaking', 'Undertaking'),
      }),
    },
    '/undertakings/{kvk}': {
      get: read({
        operationId: 'getUndertaking',
        summary: 'An undertaking; its name only for the organisation that registered it',
        parameters: [P.kvk],
        answer: obj({ undertaking: ref('Undertaking'), name: { type: ['string', 'null'] } }),
      }),
    },
    '/undertakings/{kvk}/aid': {
      get: read({
        operationId: 'getAidRegister',
        summary: 'The aid register of the single undertaking over the three-year window',
        description:
          'Every grant to any member of the single undertaking dated in the window: who granted it, when, the block and transaction of its decision; totals, ceilings used and left.',
        parameters: [P.kvk, queryParam('asOf', date, 'Last day of the window (default today)')],
        answer: ref('AidRegisterView'),
      }),
    },
    '/undertakings/{kvk}/private-data': {
      delete: read({
        operationId: 'erasePrivateData',
        summary:
          "Erase the undertaking's name and salt from this organisation's private store (the chain stays valid)",
        parameters: [P.kvk],
        answer: obj({ kvk, erased: { type: 'boolean' } }),
        answerDescription: 'Erased or absent',
        errors: [400, 401, 403],
      }),
    },
    '/undertakings/{kvk}/controls': {
      post: write({
        operationId: 'linkUndertakings',
        summary: 'Record that {kvk} controls another undertaking',
        parameters: [P.kvk],
        body: ref('LinkInput'),
        answer: committed('link', 'Link'),
      }),
    },
    '/undertakings/{kvk}/controls/{childKvk}/end': {
      post: write({
        operationId: 'unlinkUndertakings',
        summary: 'End a control link',
        parameters: [P.kvk, P.childKvk],
        body: ref('UnlinkInput'),
        answer: committed('link', 'Link'),
      }),
    },
    '/mergers': {
      post: write({
        operationId: 'recordMerger',
        summary: 'Record a merger or acquisition (Art. 3(8))',
        body: ref('MergerInput'),
        answer: committed('undertaking', 'Undertaking'),
      }),
    },
    '/splits': {
      post: write({
        operationId: 'recordSplit',
        summary: 'Record a split (Art. 3(9))',
        body: ref('SplitInput'),
        answer: committedAnswer('registers', { type: 'array', items: { type: 'object' } }),
      }),
    },
  },
  schemas: {
    SubsidiesErrorFields: {
      type: 'object',
      description: 'Fields the subsidies service adds to error.* besides code and message',
      properties: {
        rule: { type: 'string' },
        article: { type: ['string', 'null'] },
        figures,
        field: { type: 'string', description: 'the malformed input field (INVALID_INPUT)' },
        refusedBy: { type: 'string', description: 'mspId of the co-endorser that refused' },
        txId: hex64,
      },
    },
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
});
