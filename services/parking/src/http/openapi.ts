/**
 * The parking REST API's OpenAPI 3.1 description (served at `/openapi.json`), written by hand
 * with the kit's helpers. Dates are `YYYY-MM-DD` (Dutch calendar days), times RFC 3339 UTC.
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

/** Requests about a person registered here: unknown persons are 404. */
const HOLDER_ERRORS = [400, 401, 403, 404];

const check = (operationId: string, summary: string, what: Schema) =>
  readOperation({
    operationId,
    tag: 'checks',
    summary,
    parameters: [what, area],
    answer: ref('CheckAnswer'),
    answerDescription: 'VALID, INVALID or UNKNOWN with the reason and the proof',
    errors: [400, 401, 403, 503],
  });

export const openApiDocument: OpenApiDocument = serviceDocument({
  service: 'parking',
  title: 'Civic Ledger parking service',
  version: '1.0.0',
  description:
    'European parking cards for people with disabilities (Dutch GPK), reserved places on a plate (GPP), medical assessments and roadside checks. One instance per organisation: municipalities (Utrecht, Amsterdam) register holders and issue; the independent Assessor records assessments; enforcement (Police, municipalities) checks. Refusals: `{error: {code, rule, message, source}}` (input refusals also name the `field`), status by rule category (input 400, permission 403, not-found 404, conflict 409). See docs/parking.md.',
  tags: [
    { name: 'holders', description: 'municipality: holders and erasure; holder view' },
    { name: 'cards', description: 'municipality: cards and reserved places' },
    { name: 'assessments', description: 'the independent Assessor' },
    { name: 'checks', description: 'enforcement officers at the roadside' },
  ],
  paths: {
    '/holders': {
      post: writeOperation({
        operationId: 'registerHolder',
        tag: 'holders',
        summary: 'Register a person living here',
        description:
          'Name, address and person id go to the municipality’s private store; the chain gets the hid and a salted hash.',
        body: obj({ personId, name: { type: 'string', maxLength: 200 }, address }),
        answer: committedAnswer('holder', ref('Holder')),
      }),
    },
    '/holders/lookup': {
      post: readOperation({
        operationId: 'lookupHolder',
        tag: 'holders',
        summary: 'The hid of a person registered here',
        body: obj({ personId }),
        answer: obj({ hid: hex64, status: { type: 'string' } }),
        answerDescription: 'found',
        errors: HOLDER_ERRORS,
      }),
    },
    '/holders/tokens': {
      post: writeOperation({
        operationId: 'holderToken',
        tag: 'holders',
        summary: 'A citizen token for a person registered here (the municipality’s portal)',
        description: `After the portal authenticated the citizen: a token of audience "${HOLDER_AUDIENCE}" bound to the hid, for GET /holders/{hid}/records on any parking service.`,
        body: obj({ personId }),
        answer: obj({ token: { type: 'string' }, hid: hex64, expiresAt: time }),
        answerDescription: 'minted',
        errors: HOLDER_ERRORS,
      }),
    },
    '/holders/{hid}/death': {
      post: writeOperation({
        operationId: 'reportDeath',
        tag: 'holders',
        summary: 'Report a death (ends card and place)',
        parameters: [hid],
        body: obj({ diedOn: date }),
        answer: committedAnswer('holder', ref('Holder')),
      }),
    },
    '/holders/{hid}/move': {
      post: writeOperation({
        operationId: 'recordMove',
        tag: 'holders',
        summary: 'Record a move to another municipality (ends card and place)',
        parameters: [hid],
        body: obj({ movedOn: date }),
        answer: committedAnswer('holder', ref('Holder')),
      }),
    },
    '/holders/{hid}/erasure': {
      post: writeOperation({
        operationId: 'eraseHolder',
        tag: 'holders',
        summary: 'Erasure request (GDPR art. 17)',
        description:
          'Deletes the holder’s private data and salt here, records holder.erase; the Assessor’s service erases the assessment details on the holder.erased event. The chain is unchanged and still verifies.',
        parameters: [hid],
        answer: obj({ holder: ref('Holder'), tx: ref('TxRef'), privateRecordsErased: { type: 'integer' } }),
      }),
    },
    '/holders/{hid}/records': {
      get: readOperation({
        operationId: 'holderRecords',
        tag: 'holders',
        summary: 'The holder view: cards, places, assessment outcomes, access log',
        description: `Bearer token: a holder token (aud "${HOLDER_AUDIENCE}") for this hid, minted by the holder’s municipality; or a staff token (aud "parking") of that municipality on its own service.`,
        parameters: [hid],
        answer: { type: 'object' },
        answerDescription: 'the view',
        errors: HOLDER_ERRORS,
      }),
    },
    '/cards': {
      post: writeOperation({
        operationId: 'issueCard',
        tag: 'cards',
        summary: 'Issue a card (first or renewal); the Assessor endorses',
        body: obj(
          {
            hid: hex64,
            kind: { enum: ['driver', 'passenger', 'both'] },
            assessmentId: { type: 'string' },
            validUntil: date,
          },
          ['hid', 'kind', 'assessmentId'],
        ),
        answer: committedAnswer('card', ref('Card')),
      }),
    },
    '/cards/{cardNumber}/duplicate': {
      post: writeOperation({
        operationId: 'issueDuplicate',
        tag: 'cards',
        summary: 'Duplicate of the valid card: every earlier card invalid at once',
        parameters: [cardNumberParam],
        body: obj({ reason: { enum: ['lost', 'stolen', 'damaged'] } }),
        answer: committedAnswer('card', ref('Card')),
      }),
    },
    '/cards/{cardNumber}/revocation': {
      post: writeOperation({
        operationId: 'revokeCard',
        tag: 'cards',
        summary: 'Revoke a card',
        parameters: [cardNumberParam],
        body: obj({
          ground: { enum: ['fraud', 'misuse', 'assessment-withdrawn', 'returned', 'issued-in-error'] },
        }),
        answer: committedAnswer('card', ref('Card')),
      }),
    },
    '/places': {
      post: writeOperation({
        operationId: 'assignPlace',
        tag: 'cards',
        summary: 'Assign a reserved place on a plate',
        description: 'The address stays in the private store; the chain gets its salted hash.',
        body: obj(
          { hid: hex64, plate: { type: 'string' }, address, passengerException: { type: 'boolean' } },
          ['hid', 'plate', 'address'],
        ),
        answer: committedAnswer('place', ref('Place')),
      }),
    },
    '/places/{plate}/end': {
      post: writeOperation({
        operationId: 'endPlace',
        tag: 'cards',
        summary: 'End a reserved place',
        parameters: [plateParam],
        body: obj({
          reason: {
            enum: ['holder-request', 'plate-changed', 'address-changed', 'no-longer-needed', 'misuse'],
          },
        }),
        answer: committedAnswer('place', ref('Place')),
      }),
    },
    '/assessments': {
      post: writeOperation({
        operationId: 'recordAssessment',
        tag: 'assessments',
        summary: 'Record a medical assessment (Assessor only)',
        description:
          'The criteria decide the outcome; the details stay in the Assessor’s private store; outcome, scope, validity and a salted hash go on the chain.',
        body: obj({ hid: hex64, assessmentId: { type: 'string' }, details: ref('AssessmentDetails') }, [
          'hid',
          'details',
        ]),
        answer: committedAnswer('assessment', { type: 'object' }),
      }),
    },
    '/checks/cards/{cardNumber}': {
      get: check('checkCard', 'Roadside check of a card', cardNumberParam),
    },
    '/checks/plates/{plate}': {
      get: check('checkPlate', 'Roadside check of a reserved place', plateParam),
    },
  },
  schemas: {
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
});
