/**
 * The OpenAPI 3.1 description of the peer's REST API (served at /openapi.json). Written by
 * hand next to the routes: small, and the contract of docs/peer.md word for word.
 */
const json = (schema: object, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** Every query route: a reader's token or these (docs/peer.md, "REST authentication"). */
const refusals = {
  '401': json(ref('Refused'), 'No bearer token, or one that does not verify (WWW-Authenticate: Bearer)'),
  '403': json(ref('Refused'), "The caller is not admitted by the channel's readers policy"),
};
const errors = {
  '400': json(ref('BadRequest'), 'Malformed argument; the reason says which and why'),
  '404': json(ref('NotFound'), 'Nothing there'),
  ...refusals,
};
/** What the `tx` and `proof` answers share: where the transaction is, its code and envelope. */
const txFound = {
  found: { const: true },
  txId: { type: 'string' },
  block: { type: 'integer' },
  txIndex: { type: 'integer' },
  blockHash: { type: 'string' },
  code: { type: 'string' },
  envelope: { type: 'object' },
};
/** Operations routes need no token. */
const open = { security: [] };
const txIdParam = {
  name: 'txId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
};
const keyParams = [
  {
    name: 'namespace',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
  },
  {
    name: 'key',
    in: 'path',
    required: true,
    description: 'The state key: the rest of the path (1 to 512 characters; may hold `/`).',
    schema: { type: 'string' },
  },
];

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Civic Ledger peer',
    version: '1',
    description:
      'Reads from one peer: world state, key history, blocks, transactions, inclusion proofs and signed checkpoints. ' +
      'The same queries are answered over NATS on civic.<channel>.query.<peerId> (docs/peer.md). ' +
      "Query routes need a bearer token (audience `peer`) of a member the channel's readers policy admits.",
  },
  security: [{ readerToken: [] }],
  paths: {
    '/height': {
      get: {
        summary: 'Last committed block',
        responses: { '200': json(ref('Height'), 'The head'), ...refusals },
      },
    },
    '/state/{namespace}/{key}': {
      get: {
        summary: "A key's current value and version",
        parameters: keyParams,
        responses: { '200': json(ref('State'), 'Found'), ...errors },
      },
    },
    '/history/{namespace}/{key}': {
      get: {
        summary: "A key's valid writes, newest first: who, what, when, which transaction",
        parameters: [
          ...keyParams,
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
          {
            name: 'beforeBlock',
            in: 'query',
            schema: { type: 'integer', minimum: 0 },
            description: 'Page cursor (next.block)',
          },
          {
            name: 'beforeTx',
            in: 'query',
            schema: { type: 'integer', minimum: 0 },
            description: 'Page cursor (next.txIndex)',
          },
        ],
        responses: { '200': json(ref('History'), 'A page of entries'), ...errors },
      },
    },
    '/blocks/{id}': {
      get: {
        summary: 'A block by number or by hash, with this peer’s codes and commit hash',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', description: 'Block number or 64-hex block hash' },
          },
        ],
        responses: { '200': json(ref('Block'), 'Found'), ...errors },
      },
    },
    '/blocks/{id}/wire': {
      get: {
        summary:
          'A block in its wire form: the canonical JSON (RFC 8785) bytes, exactly as the blocks stream and .deliver carry them',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', description: 'Block number or 64-hex block hash' },
          },
        ],
        responses: {
          '200': json(
            { type: 'object', description: '{envelopes, header, metadata}; hash the header as is' },
            'The block’s canonical bytes (not re-encoded: SHA-256 over the header’s text is the blockHash)',
          ),
          ...errors,
        },
      },
    },
    '/tx/{txId}': {
      get: {
        summary: 'A transaction (first occurrence) with its code',
        parameters: [txIdParam],
        responses: { '200': json(ref('Tx'), 'Found'), ...errors },
      },
    },
    '/tx/{txId}/proof': {
      get: {
        summary: 'Inclusion proof of a transaction in its block (RFC 6962 audit path to header.dataHash)',
        parameters: [txIdParam],
        responses: { '200': json(ref('Proof'), 'Found'), ...errors },
      },
    },
    '/checkpoint': {
      get: {
        summary: 'A checkpoint of the head signed by the peer',
        responses: {
          '200': json(ref('Checkpoint'), 'Signed statement'),
          '404': errors['404'],
          ...refusals,
        },
      },
    },
    '/audit': {
      post: {
        summary: 'Re-verify the stored chain now (docs/peer.md, "The self-audit")',
        responses: { '201': json({ type: 'object' }, 'The audit report'), ...refusals },
      },
    },
    '/healthz': {
      get: {
        ...open,
        summary: 'Liveness, with alarms',
        responses: { '200': json({ type: 'object' }, 'Alive') },
      },
    },
    '/readyz': {
      get: {
        ...open,
        summary: 'Ready once caught up, audited, not halted, no fork alarm',
        responses: {
          '200': json({ type: 'object' }, 'Ready'),
          '503': json({ type: 'object' }, 'Not ready; reasons listed'),
        },
      },
    },
    '/metrics': {
      get: {
        ...open,
        summary: 'Prometheus metrics',
        responses: { '200': { description: 'text/plain exposition' } },
      },
    },
    '/openapi.json': {
      get: {
        ...open,
        summary: 'This document',
        responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1') },
      },
    },
  },
  components: {
    securitySchemes: {
      readerToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'EdDSA JWT signed by the caller’s identity key with its certificate in x5c, audience `peer`, ' +
          'at most 15 minutes (`civic token --network DIR --user NAME --aud peer`)',
      },
    },
    schemas: {
      Refused: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            properties: {
              code: { enum: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_READY'] },
              reason: { type: 'string' },
            },
          },
        },
      },
      BadRequest: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            properties: { code: { const: 'BAD_REQUEST' }, reason: { type: 'string' } },
          },
        },
      },
      NotFound: { type: 'object', properties: { found: { const: false }, reason: { type: 'string' } } },
      Height: {
        type: 'object',
        properties: {
          height: { type: 'integer' },
          blockHash: { type: 'string' },
          commitHash: { type: 'string' },
        },
      },
      State: {
        type: 'object',
        properties: {
          found: { const: true },
          namespace: { type: 'string' },
          key: { type: 'string' },
          value: {},
          version: { type: 'string', description: '"<block>:<tx>" of the last valid write' },
        },
      },
      History: {
        type: 'object',
        properties: {
          namespace: { type: 'string' },
          key: { type: 'string' },
          entries: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                block: { type: 'integer' },
                txIndex: { type: 'integer' },
                txId: { type: 'string' },
                creatorMspId: { type: 'string' },
                creatorSubject: { type: 'string' },
                blockTime: { type: 'string', format: 'date-time' },
                txTime: { type: 'string', format: 'date-time' },
                value: {},
                deleted: { type: 'boolean' },
              },
            },
          },
          next: { type: 'object', properties: { block: { type: 'integer' }, txIndex: { type: 'integer' } } },
        },
      },
      Block: {
        type: 'object',
        properties: {
          found: { const: true },
          number: { type: 'integer' },
          hash: { type: 'string' },
          block: { type: 'object', description: 'header, envelopes, metadata (docs/protocol.md)' },
          codes: { type: 'array', items: { type: 'string' } },
          commitHash: { type: 'string' },
        },
      },
      Tx: {
        type: 'object',
        properties: { ...txFound, reason: { type: ['string', 'null'] } },
      },
      Proof: {
        type: 'object',
        properties: {
          ...txFound,
          header: { type: 'object' },
          proof: {
            type: 'object',
            properties: {
              leafIndex: { type: 'integer' },
              treeSize: { type: 'integer' },
              path: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
      Checkpoint: {
        type: 'object',
        description:
          'Ed25519 signature over H({channel, peerId, height, blockHash, commitHash}) by the key of cert',
        properties: {
          channel: { type: 'string' },
          peerId: { type: 'string' },
          height: { type: 'integer' },
          blockHash: { type: 'string' },
          commitHash: { type: 'string' },
          mspId: { type: 'string' },
          cert: { type: 'string' },
          signature: { type: 'string' },
        },
      },
    },
  },
} as const;
