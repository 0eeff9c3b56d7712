/** The OpenAPI helpers: read and write operations with their error answers, and the whole document. */
import { describe, expect, it } from 'vitest';
import {
  committedAnswer,
  obj,
  readOperation,
  ref,
  serviceDocument,
  writeOperation,
  WRITE_ERRORS,
  type OpenApiDocument,
} from '../src/index.js';

const thing = obj({ name: { type: 'string' } });

const doc: OpenApiDocument = serviceDocument({
  service: 'things',
  title: 'Things',
  version: '1',
  description: 'a service of things',
  tags: [{ name: 'things', description: 'the things' }],
  paths: {
    '/things': {
      post: writeOperation({
        operationId: 'addThing',
        tag: 'things',
        summary: 'Add a thing',
        body: ref('Thing'),
        answer: committedAnswer('thing', ref('Thing')),
      }),
      get: readOperation({
        operationId: 'listThings',
        tag: 'things',
        summary: 'The things',
        answer: { type: 'array' },
        answerDescription: 'every thing',
        errors: [401, 503],
      }),
    },
  },
  schemas: { Thing: thing },
});

describe('OpenAPI helpers', () => {
  it('writes answer 201 committed with the write errors; reads 200 with their own', () => {
    const post = doc.paths['/things']!['post']!;
    expect(Object.keys(post.responses)).toEqual(['201', ...WRITE_ERRORS.map(String)]);
    expect(post.responses['201']).toEqual({
      description: 'committed',
      content: { 'application/json': { schema: obj({ thing: ref('Thing'), tx: ref('TxRef') }) } },
    });
    expect(post.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: ref('Thing') } },
    });
    const minBlock = [
      { $ref: '#/components/parameters/MinBlock' },
      { $ref: '#/components/parameters/CivicMinBlock' },
    ];
    expect(post.parameters).toEqual(minBlock);
    const get = doc.paths['/things']!['get']!;
    // 400 and 503 are added to the route's own: a malformed minBlock, a peer behind it.
    expect(Object.keys(get.responses)).toEqual(['200', '400', '401', '503']);
    expect(get.parameters).toEqual(minBlock);
    expect(get.responses['200']).toMatchObject({ description: 'every thing' });
    expect(get.requestBody).toBeUndefined();
  });

  it('wraps the service parts in the document: ops endpoints, Error and TxRef, bearer tokens of its audience', () => {
    expect(Object.keys(doc.paths)).toEqual(['/things', '/healthz', '/readyz', '/metrics', '/openapi.json']);
    expect(Object.keys(doc.components.schemas)).toEqual(['Error', 'TxRef', 'Thing']);
    expect(doc.components.parameters['MinBlock']).toMatchObject({ name: 'minBlock', in: 'query' });
    expect(doc.components.parameters['CivicMinBlock']).toMatchObject({
      name: 'Civic-Min-Block',
      in: 'header',
    });
    expect(doc.components.securitySchemes['bearer']).toMatchObject({ scheme: 'bearer', bearerFormat: 'JWT' });
    expect(String(doc.components.securitySchemes['bearer']!['description'])).toContain('aud "things"');
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it('declares every tag an operation uses, and every schema and parameter it refers to', () => {
    const declared = new Set(doc.tags.map((t) => t.name));
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    for (const op of operations) for (const tag of op.tags) expect(declared).toContain(tag);
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const r of refs) expect(Object.keys(doc.components.schemas)).toContain(r.split('/').at(-1));
    const parameterRefs = JSON.stringify(doc).match(/#\/components\/parameters\/\w+/g) ?? [];
    expect(parameterRefs.length).toBeGreaterThan(0);
    for (const r of parameterRefs)
      expect(Object.keys(doc.components.parameters)).toContain(r.split('/').at(-1));
  });
});
