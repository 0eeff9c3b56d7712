/**
 * The transport REST API's OpenAPI 3.1 description (served at `/openapi.json`), written by hand
 * with the kit's helpers. Times are RFC 3339 UTC; figures are minutes. docs/transport.md explains
 * the rules behind each answer.
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
import { ACCESS_PURPOSES, CARD_STATUSES, CHECK_KINDS, LIMITS } from '../domain/index.js';
import {
  ActivityType,
  Berth,
  ExceedanceKind,
  FindingKind,
  RuleId,
  Severity,
  TransportKind,
} from '../rules/index.js';

const TAG = { CARDS: 'cards', RECORDS: 'records', CHAIN: 'chain', CHECKS: 'checks' } as const;
const card = pathParam(
  'card',
  { type: 'string', pattern: '^[0-9A-Za-z ]{16,40}$' },
  'driver card number, 16 digits and capital letters',
);
const range = [
  queryParam('from', time, 'start of the period (default: 28 days before `to`)'),
  queryParam('to', time, 'end of the period (default: now); at most a year after `from`'),
];
const inspectorQuery = [
  queryParam(
    'purpose',
    { enum: ACCESS_PURPOSES },
    'inspectors: why the records are read (logged; default ROADSIDE)',
  ),
  queryParam('reference', { type: 'string', maxLength: 80 }, "inspectors: the case's reference (logged)"),
];
const uploadId = { type: 'string', pattern: '^[0-9a-f]{32}$' };
const mspId = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9-]{0,63}$' };
const minutes = { type: 'number', minimum: 0 };
const list = (items: Schema, maxItems?: number): Schema => ({
  type: 'array',
  items,
  ...(maxItems ? { maxItems } : {}),
});
const opt = (properties: Record<string, Schema>, required: readonly string[]) => obj(properties, required);
const BOTH = 'a member token (`civic token`) or a driver token (docs/transport.md#drivers)';

const schemas: Record<string, Schema> = {
  Card: obj({
    cardNumber: { type: 'string' },
    driverId: {
      ...hex64,
      description: "hex(SHA-256(salt ‖ JCS(driver))); the driver's particulars are in RDW's private store",
    },
    driverKey: {
      type: ['string', 'null'],
      pattern: '^[0-9a-f]{64}$',
      description: "the holder's Ed25519 public key",
    },
    company: mspId,
    validFrom: date,
    validUntil: date,
    status: { enum: CARD_STATUSES },
    issuedAt: time,
    updatedAt: time,
  }),
  CardIssue: opt(
    {
      cardNumber: { type: 'string' },
      driver: opt(
        {
          name: { type: 'string', maxLength: 200 },
          birthDate: date,
          licenceNumber: { type: 'string', maxLength: 40 },
        },
        ['name', 'birthDate'],
      ),
      driverKey: { type: ['string', 'null'], pattern: '^[0-9a-f]{64}$' },
      company: mspId,
      validFrom: date,
      validUntil: { ...date, description: 'at most five years after validFrom (Reg. 165/2014 Art. 26(4))' },
    },
    ['cardNumber', 'driver', 'company', 'validFrom', 'validUntil'],
  ),
  CardChange: opt(
    {
      company: mspId,
      validUntil: date,
      status: { enum: CARD_STATUSES },
      driverKey: { type: ['string', 'null'], pattern: '^[0-9a-f]{64}$' },
    },
    [],
  ),
  Activity: opt(
    {
      start: time,
      end: time,
      activity: { enum: Object.values(ActivityType) },
      multiManning: { type: 'boolean' },
      inVehicle: { type: 'boolean', description: 'rests only' },
      outsideHomeCountries: { type: 'boolean', description: 'rests only' },
    },
    ['start', 'end', 'activity'],
  ),
  Records: opt(
    {
      activities: {
        ...list(ref('Activity'), LIMITS.activitiesPerUploadMax),
        minItems: 1,
        description:
          'sorted by start, not overlapping, none in the future, within the card validity, a quarter at most',
      },
      transport: { enum: Object.values(TransportKind) },
      international: { type: 'boolean' },
      crossings: list(
        opt(
          {
            start: time,
            end: time,
            berth: { enum: Object.values(Berth) },
            scheduledMinutes: { type: 'integer' },
          },
          ['start', 'end', 'berth', 'scheduledMinutes'],
        ),
        LIMITS.crossingsPerUploadMax,
      ),
      exceedances: list(
        opt(
          {
            start: time,
            end: time,
            kind: { enum: Object.values(ExceedanceKind) },
            reason: { type: 'string', maxLength: 1000 },
          },
          ['start', 'end', 'kind', 'reason'],
        ),
        LIMITS.exceedancesPerUploadMax,
      ),
    },
    ['activities'],
  ),
  UploadRef: obj({
    uploadId,
    uploader: mspId,
    hash: hex64,
    periodStart: time,
    periodEnd: time,
    count: { type: 'integer' },
  }),
  Figures: {
    type: 'object',
    additionalProperties: minutes,
    description:
      'drivenMinutes, limitMinutes, excessMinutes, restedMinutes, requiredMinutes, shortfallMinutes, delayMinutes, owedMinutes, excusedMinutes, inVehicleMinutes, count, allowed',
  },
  StoredFinding: {
    type: 'object',
    description: 'a finding as the chain keeps it: causes are [position in basis.uploads, activity index]',
    properties: {
      rule: { enum: Object.values(RuleId) },
      article: { type: 'string' },
      kind: { enum: Object.values(FindingKind) },
      severity: { enum: [...Object.values(Severity), null] },
      periodStart: time,
      periodEnd: time,
      figures: ref('Figures'),
      causes: list(list({ type: 'integer' })),
      causesTotal: { type: 'integer' },
    },
  },
  Finding: {
    type: 'object',
    description: 'docs/transport-rules.md#output; causes resolved to the activity periods',
    properties: {
      rule: { enum: Object.values(RuleId) },
      article: { type: 'string' },
      kind: { enum: Object.values(FindingKind) },
      severity: { enum: [...Object.values(Severity), null] },
      annex: { type: ['object', 'null'] },
      periodStart: time,
      periodEnd: time,
      figures: ref('Figures'),
      dueBy: time,
      message: { type: 'string' },
      causes: list(
        obj({
          uploadId,
          index: { type: 'integer' },
          start: time,
          end: time,
          activity: { enum: Object.values(ActivityType) },
        }),
      ),
    },
  },
  Compliance: {
    type: 'object',
    properties: {
      cardNumber: { type: 'string' },
      from: time,
      to: time,
      window: obj({ from: time, to: time }),
      uploads: list(ref('UploadRef')),
      findings: list(ref('Finding')),
      summary: {
        type: ['object', 'null'],
        description: 'the engine summary (weeks, shifts, compensations) that touch the period',
      },
      missing: {
        ...list(ref('UploadRef')),
        description: "uploads of the period this service may not read (another company's)",
      },
    },
  },
  AccessEntry: obj({
    accessId: hex64,
    at: time,
    by: mspId,
    officer: { type: 'string', description: "the officer's certificate serial" },
    purpose: { enum: ACCESS_PURPOSES },
    reference: { type: ['string', 'null'] },
    from: time,
    to: time,
    uploads: list(uploadId),
    servedBy: mspId,
    via: { enum: ['NATS', 'REST'] },
  }),
  Infringement: opt(
    {
      rule: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{1,63}$' },
      article: { type: 'string' },
      severity: { enum: [...Object.values(Severity), null] },
      periodStart: time,
      periodEnd: time,
      figures: ref('Figures'),
      source: { enum: ['ENGINE', 'OFFICER'] },
      note: { type: ['string', 'null'], maxLength: LIMITS.noteCharsMax },
    },
    ['rule', 'periodStart', 'periodEnd'],
  ),
  Inspection: {
    type: 'object',
    properties: {
      inspectionId: { type: 'string' },
      cardNumber: { type: 'string' },
      inspector: mspId,
      officer: { type: 'string' },
      kind: { enum: CHECK_KINDS },
      checkedAt: time,
      from: time,
      to: time,
      reference: { type: ['string', 'null'] },
      uploads: list(obj({ uploadId, hash: hex64 })),
      infringements: list(ref('Infringement')),
      recordedAt: time,
    },
  },
  CheckRequest: opt(
    {
      cardNumber: { type: 'string' },
      kind: { enum: CHECK_KINDS },
      checkedAt: { ...time, description: 'default now' },
      from: time,
      to: time,
      reference: { type: 'string', maxLength: 80 },
      includeFindings: {
        type: 'boolean',
        description:
          "default true: fetch the records, check them against the chain, record the engine's infringements",
      },
      infringements: list(ref('Infringement'), LIMITS.infringementsPerInspectionMax),
    },
    ['cardNumber', 'kind'],
  ),
};

const page = (field: string, items: Schema) => ({
  type: 'object',
  properties: { cardNumber: { type: 'string' }, from: time, to: time, [field]: list(items) },
});

/** What the chain says about a card over a period: any member, or the card's driver. */
const chainView = (operationId: string, summary: string, answer: Schema) =>
  readOperation({
    operationId,
    tag: TAG.CHAIN,
    summary,
    answer,
    parameters: [card, ...range],
    description: BOTH,
  });

export const openApiDocument: OpenApiDocument = serviceDocument({
  service: 'transport',
  title: 'Civic Ledger transport service',
  version: '1',
  description:
    "Tachograph records and the EU driving and rest time rules (Regulation (EC) No 561/2006). One instance serves one organisation: RDW keeps the driver-card register, companies upload their drivers' records, ILT and the police check them. docs/transport.md.",
  tags: [
    { name: TAG.CARDS, description: "RDW's driver-card register" },
    {
      name: TAG.RECORDS,
      description: 'records and their compliance (private: company store, shared with inspectors)',
    },
    { name: TAG.CHAIN, description: 'what the chain says about a card' },
    { name: TAG.CHECKS, description: 'checks by ILT and the police' },
  ],
  paths: {
    '/cards': {
      post: writeOperation({
        operationId: 'issueCard',
        tag: TAG.CARDS,
        summary: 'Issue a driver card (RDW)',
        answer: committedAnswer('card', ref('Card')),
        body: ref('CardIssue'),
      }),
    },
    '/cards/{card}': {
      get: readOperation({
        operationId: 'getCard',
        tag: TAG.CARDS,
        summary: 'The register entry (any member; the card holder)',
        answer: ref('Card'),
        parameters: [card],
        description: BOTH,
      }),
    },
    '/cards/{card}/changes': {
      post: writeOperation({
        operationId: 'changeCard',
        tag: TAG.CARDS,
        summary: 'Change company, validity, status or holder key (RDW)',
        answer: committedAnswer('card', ref('Card')),
        parameters: [card],
        body: ref('CardChange'),
      }),
    },
    '/cards/{card}/driver': {
      get: readOperation({
        operationId: 'getDriver',
        tag: TAG.CARDS,
        summary: "The driver's particulars behind driverId (RDW staff)",
        answer: { type: 'object' },
        parameters: [card],
      }),
    },
    '/drivers/{card}/records': {
      post: writeOperation({
        operationId: 'uploadRecords',
        tag: TAG.RECORDS,
        summary: "Upload a driver card's activities (a company)",
        answer: {
          type: 'object',
          properties: { upload: ref('UploadRef'), months: list({ type: 'object' }), tx: ref('TxRef') },
        },
        parameters: [card],
        body: ref('Records'),
        description:
          '400 names the bad period (`path`, `period`, every error in `errors`): overlapping, unsorted, future, malformed, unknown card, outside the card validity; 409 when it starts before the end of the card’s latest upload.',
      }),
      get: readOperation({
        operationId: 'getRecords',
        tag: TAG.RECORDS,
        summary: 'The activities of the period',
        answer: page('uploads', { type: 'object' }),
        parameters: [card, ...range, ...inspectorQuery],
        description: `${BOTH}; an inspector's read is logged in the driver's access log`,
      }),
    },
    '/drivers/{card}/compliance': {
      get: readOperation({
        operationId: 'getCompliance',
        tag: TAG.RECORDS,
        summary: 'Findings of the period with their causes and figures',
        answer: ref('Compliance'),
        parameters: [card, ...range, ...inspectorQuery],
        description: `${BOTH}; the same answer at the company and at an inspectorate`,
      }),
    },
    '/drivers/{card}/uploads': {
      get: chainView('getUploads', 'Uploads of the period', page('uploads', ref('UploadRef'))),
    },
    '/drivers/{card}/findings': {
      get: chainView(
        'getFindings',
        'Findings on the chain, per month',
        page('months', {
          type: 'object',
          properties: { month: { type: 'string' }, findings: list(ref('StoredFinding')) },
        }),
      ),
    },
    '/drivers/{card}/inspections': {
      get: chainView('getCardInspections', 'Checks of the card', page('inspections', { type: 'object' })),
    },
    '/drivers/{card}/access-log': {
      get: chainView(
        'getAccessLog',
        "Inspectors' accesses to the card's records",
        page('entries', ref('AccessEntry')),
      ),
    },
    '/inspections': {
      post: writeOperation({
        operationId: 'recordCheck',
        tag: TAG.CHECKS,
        summary: 'Record a check and its infringements (ILT, police)',
        answer: committedAnswer('inspection', ref('Inspection')),
        body: ref('CheckRequest'),
      }),
    },
    '/inspections/{id}': {
      get: readOperation({
        operationId: 'getInspection',
        tag: TAG.CHECKS,
        summary: 'One check',
        answer: ref('Inspection'),
        parameters: [pathParam('id', { type: 'string', pattern: '^[0-9a-f]{32}$' }, 'inspection id')],
        description: BOTH,
      }),
    },
  },
  schemas,
});
