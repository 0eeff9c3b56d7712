/** Request bodies and small steps shared by the REST tests. */
import { expect } from 'vitest';
import { eur, schemeInput } from '../domain/fixtures.js';
import type { Org, Reply, RestNet } from './rest-net.js';

export { eur };

let kvkCounter = 0;
/** A fresh 8-digit KvK number per call (per test process). */
export const newKvk = (): string => String(10_000_000 + process.pid * 1000 + ++kvkCounter).slice(-8);

let schemeCounter = 0;
export const newSchemeId = (prefix: string): string => `${prefix}-${process.pid}-${++schemeCounter}`;

/** The body of `POST /schemes`: the domain tests' scheme terms, with `overrides` (also malformed ones). */
export function schemeBody(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...schemeInput(id), ...overrides };
}

export function expectStatus<T>(reply: Reply<T>, status: number): Reply<T> {
  expect(reply.status, `${reply.status} ${JSON.stringify(reply.body)}`).toBe(status);
  return reply;
}

export async function scheme(
  net: RestNet,
  org: Org,
  prefix: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const id = newSchemeId(prefix);
  expectStatus(await net.request(org, 'POST', '/schemes', { body: schemeBody(id, overrides) }), 201);
  return id;
}

export async function undertaking(net: RestNet, org: Org, name = 'Bakkerij de Vries'): Promise<string> {
  const kvk = newKvk();
  expectStatus(await net.request(org, 'POST', '/undertakings', { body: { kvk, name } }), 201);
  return kvk;
}

export function grant(
  net: RestNet,
  org: Org,
  schemeId: string,
  kvk: string,
  amountCents: number,
  eligibleCostCents = amountCents,
) {
  return net.request(org, 'POST', `/schemes/${schemeId}/grants`, {
    body: { kvk, amountCents, eligibleCostCents },
  });
}
