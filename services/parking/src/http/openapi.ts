/**
 * The parking REST API's OpenAPI 3.1 description (served at `/openapi.json`), written by hand
 * with the kit's helpers. Dates are `YYYY-MM-DD` (Dutch calendar days), times RFC 3339 UTC.
 */
import {
  bearerScheme,
  date,
  ERROR_SCHEMA,
  errorResponses,
  hex64,
  json,
  jsonBody,
  obj,
  opsPaths,
  pathParam,
  queryParam,
  ref,
  time,
  type OpenApiDocument,
  type Operation,
  type Schema,
} from '@civic/service-kit';
import { HOLDER_AUDIENCE } from '../auth/holder-token.js';

const hid = pathParam(
  'hid',
  hex64,
  'holder id: hex(SHA-256(salt ‖ person id)), from POST /holders or /holders/lookup',
);
const cardNumberParam = pathParam(
  'cardNumber',
  { type: 'string', maxLength: 32 },
  'card number, e.g. NL-0344-00012344 (case, spaces and dashes free)',
);
const plateParam = pathParam(
  'plate',
  { type: 'string', maxLength: 32 },
  'Dutch licence plate, e.g. GX-HR-12 or gxhr12',
);
const area = queryParam(
  'area',
  { type: 'string', pattern: '^\\d{4}$' },
  'CBS code of the municipality where the check takes place (default: the instance’s CHECK_AREA or own municipality)',
);
const personId = { type: 'string', description: 'BSN, 9 digits (11-check)' };
const address = obj({
  street: { type: 'string', maxLength: 200 },
  houseNumber: { type: 'string', maxLength: 20 },
  postcode: { type: 'string', pattern: '^[1-9]\\d{3} ?[A-Z]{2}$' },
  city: { type: 'string', maxLength: 100 },
});
const tx = ref('TxRef');

function write(
  operationId: string,
  tag: string,
  summary: string,
  body: Schema | null,
  answer: Schema,
  description?: string,
  parameters: readonly Schema[] = [],
): Operation {
  return {
    summary,
    ...(description ? { description } : {}),
    operationId,
    tags: [tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: jsonBody(body) } : {}),
    responses: {
      '201': json(answer, 'committed'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 503, 504),
    },
  };
}

const committed = (field: string, schema: Schema) => obj({ [field]: schema, tx });

export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Civic Ledger parking service',
    version: '1.0.0',
    description:
      'European parking cards for people with disabilities (Dutch GPK), reserved places on a plate (GPP), medical assessments and roadside checks. One instance per organisation: municipalities (Utrecht, Amsterdam) register holders and issue; the independent Assessor records assessments; enforcement (Police, municipalities) checks. Refusals: `{error: {code, rule, message, source}}`, status by rule category (input 400, permission 403, not-found 404, conflict 409). See docs/parking.md.',
  },
  tags: [
    { name: 'holders', description: 'municipality: holders and erasure; holder view' },
    { name: 'cards', description: 'municipality: cards and reserved places' },
    { name: 'assessments', description: 'the independent Assessor' },
    { name: 'checks', description: 'enforcement officers at the roadside' },
    { name: 'ops', description: 'health, readiness, metrics' },
  ],
  paths: {
    '/holders': {
      post: write(
        'registerHolder',
        'holders',
        'Register a person living here',
        obj({ personId, name: { type: 'string', maxLength: 200 }, address }),
        committed('holder', ref('Holder')),
        'Name, address and person id go to the municipality’s private store; the chain gets the hid and a salted hash.',
      ),
    },
    '/holders/lookup': {
      post: {
        summary: 'The hid of a person registered here',
        operationId: 'lookupHolder',
        tags: ['holders'],
        requestBody: jsonBody(obj({ personId })),
        responses: {
          '200': json(obj({ hid: hex64, status: { type: 'string' } }), 'found'),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/holders/tokens': {
      post: {
        summary: 'A citizen token for a person registered here (the municipality’s portal)',
        description: `After the portal authenticated the citizen: a token of audience "${HOLDER_AUDIENCE}" bound to the hid, for GET /holders/{hid}/records on any parking service.`,
        operationId: 'holderToken',
        tags: ['holders'],
        requestBody: jsonBody(obj({ personId })),
        responses: {
          '201': json(obj({ token: { type: 'string' }, hid: hex64, expiresAt: time }), 'minted'),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/holders/{hid}/death': {
      post: write(
        'reportDeath',
        'holders',
        'Report a death (ends card and place)',
        obj({ diedOn: date }),
        committed('holder', ref('Holder')),
        undefined,
        [hid],
      ),
    },
    '/holders/{hid}/move': {
      post: write(
        'recordMove',
        'holders',
        'Record a move to another municipality (ends card and place)',
        obj({ movedOn: date }),
        committed('holder', ref('Holder')),
        undefined,
        [hid],
      ),
    },
    '/holders/{hid}/erasure': {
      post: write(
        'eraseHolder',
        'holders',
        'Erasure request (GDPR art. 17)',
        null,
        obj({ holder: ref('Holder'), tx, privateRecordsErased: { type: 'integer' } }),
        'Deletes the holder’s private data and salt here, records holder.erase; the Assessor’s service erases the assessment details on the holder.erased event. The chain is unchanged and still verifies.',
        [hid],
      ),
    },
    '/holders/{hid}/records': {
      get: {
        summary: 'The holder view: cards, places, assessment outcomes, access log',
        description: `Bearer token: a holder token (aud "${HOLDER_AUDIENCE}") for this hid, minted by the holder’s municipality; or a staff token (aud "parking") of that municipality on its own service.`,
        operationId: 'holderRecords',
        tags: ['holders'],
        parameters: [hid],
        responses: { '200': json({ type: 'object' }, 'the view'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    '/cards': {
      post: write(
        'issueCard',
        'cards',
        'Issue a card (first or renewal); the Assessor endorses',
        obj(
          {
            hid: hex64,
            kind: { enum: ['driver', 'passenger', 'both'] },
            assessmentId: { type: 'string' },
            validUntil: date,
          },
          ['hid', 'kind', 'assessmentId'],
        ),
        committed('card', ref('Card')),
      ),
    },
    '/cards/{cardNumber}/duplicate': {
      post: write(
        'issueDuplicate',
        'cards',
        'Duplicate of the valid card: every earlier card invalid at once',
        obj({ reason: { enum: ['lost', 'stolen', 'damaged'] } }),
        committed('card', ref('Card')),
        undefined,
        [cardNumberParam],
      ),
    },
    '/cards/{cardNumber}/revocation': {
      post: write(
        'revokeCard',
        'cards',
        'Revoke a card',
        obj({ ground: { enum: ['fraud', 'misuse', 'assessment-withdrawn', 'returned', 'issued-in-error'] } }),
        committed('card', ref('Card')),
        undefined,
        [cardNumberParam],
      ),
    },
    '/places': {
      post: write(
        'assignPlace',
        'cards',
        'Assign a reserved place on a plate',
        obj({ hid: hex64, plate: { type: 'string' }, address, passengerException: { type: 'boolean' } }, [
          'hid',
          'plate',
          'address',
        ]),
        committed('place', ref('Place')),
        'The address stays in the private store; the chain gets its salted hash.',
      ),
    },
    '/places/{plate}/end': {
      post: write(
        'endPlace',
        'cards',
        'End a reserved place',
        obj({
          reason: {
            enum: ['holder-request', 'plate-changed', 'address-changed', 'no-longer-needed', 'misuse'],
          },
        }),
        committed('place', ref('Place')),
        undefined,
        [plateParam],
      ),
    },
    '/assessments': {
      post: write(
        'recordAssessment',
        'assessments',
        'Record a medical assessment (Assessor only)',
        obj({ hid: hex64, assessmentId: { type: 'string' }, details: ref('AssessmentDetails') }, [
          'hid',
          'details',
        ]),
        committed('assessment', { type: 'object' }),
        'The criteria decide the outcome; the details stay in the Assessor’s private store; outcome, scope, validity and a salted hash go on the chain.',
      ),
    },
    '/checks/cards/{cardNumber}': {
      get: {
        summary: 'Roadside check of a card',
        operationId: 'checkCard',
        tags: ['checks'],
        parameters: [cardNumberParam, area],
        responses: {
          '200': json(ref('CheckAnswer'), 'VALID, INVALID or UNKNOWN with the reason and the proof'),
          ...errorResponses(400, 401, 403, 503),
        },
      },
    },
    '/checks/plates/{plate}': {
      get: {
        summary: 'Roadside check of a reserved place',
        operationId: 'checkPlate',
        tags: ['checks'],
        parameters: [plateParam, area],
        responses: {
          '200': json(ref('CheckAnswer'), 'VALID, INVALID or UNKNOWN with the reason and the proof'),
          ...errorResponses(400, 401, 403, 503),
        },
      },
    },
    ...opsPaths(),
  },
  components: {
    schemas: {
      Error: ERROR_SCHEMA,
      TxRef: obj({
        txId: hex64,
        block: { type: 'integer' },
        action: { type: 'string' },
        txTime: time,
        endorsedBy: { type: 'array', items: { type: 'string' } },
        attempts: { type: 'integer' },
      }),
      Holder: {
        type: 'object',
        description:
          'holder/<hid>: hid, municipality, status, generation, currentCard, cards, assessments, place, places, registeredOn, endedOn?',
      },
      Card: {
        type: 'object',
        description:
          'card/<cardNumber>: cardNumber, hid, kind, issuer, assessmentId, generation, validFrom, validUntil, issuedAt, status, replaces?, supersededBy?, reason?',
      },
      Place: {
        type: 'object',
        description:
          'plate/<plate>: plate, hid, cardNumber, municipality, addressHash, passengerException, validFrom, status',
      },
      AssessmentDetails: obj(
        {
          assessedOn: date,
          walkingDistanceMaxM: { type: 'number', minimum: 0 },
          wheelchairPermanent: { type: 'boolean' },
          drives: { type: 'boolean' },
          needsDoorToDoorHelp: { type: 'boolean' },
          expectedDurationMonths: { oneOf: [{ type: 'integer', minimum: 0 }, { const: 'permanent' }] },
          notes: { type: 'string', maxLength: 10000 },
        },
        [
          'assessedOn',
          'walkingDistanceMaxM',
          'wheelchairPermanent',
          'drives',
          'needsDoorToDoorHelp',
          'expectedDurationMonths',
        ],
      ),
      CheckAnswer: obj({
        check: obj(
          {
            status: { enum: ['VALID', 'INVALID', 'UNKNOWN'] },
            reason: { type: 'string' },
            message: { type: 'string' },
            cardNumber: { type: 'string' },
            plate: { type: 'string' },
            kind: { type: 'string' },
            validUntil: date,
            supersededBy: { type: 'string' },
          },
          ['status', 'reason', 'message'],
        ),
        checkedAt: time,
        checker: { type: 'string' },
        area: { type: 'string' },
        proof: obj({
          peerId: { type: 'string' },
          records: {
            type: 'array',
            items: obj({
              key: { type: 'string' },
              version: { type: 'string' },
              block: { type: 'integer' },
              txIndex: { type: 'integer' },
              txId: hex64,
              blockHash: hex64,
              header: { type: 'object' },
              envelopeHash: hex64,
              inclusion: obj({
                leafIndex: { type: 'integer' },
                treeSize: { type: 'integer' },
                path: { type: 'array', items: hex64 },
              }),
            }),
          },
        }),
      }),
    },
    securitySchemes: { bearer: bearerScheme('parking') },
  },
  security: [{ bearer: [] }],
};
