/** The usual steps through the REST API, each expecting success. */
import { expect } from 'vitest';
import type { AssessmentDetails, PersonData } from '../../src/domain/index.js';
import { drivesWalks50m } from './people.js';
import type { Org, ParkingMesh } from './parking-mesh.js';

export const USER: Record<Org, string> = {
  Utrecht: 'utrecht-user1',
  Amsterdam: 'amsterdam-user1',
  Assessor: 'assessor-user1',
  Police: 'police-user1',
};

/* eslint-disable @typescript-eslint/no-explicit-any -- replies are JSON the tests look into */
export function ok<T = any>(reply: { status: number; body: any }, status = 201): T {
  if (reply.status !== status)
    throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body as T;
}

export async function register(
  mesh: ParkingMesh,
  who: PersonData,
  org: 'Utrecht' | 'Amsterdam' = 'Utrecht',
): Promise<string> {
  const body = ok(await mesh.call(org, 'POST', '/holders', USER[org], who));
  expect(body.holder.municipality).toBe(org);
  return body.holder.hid as string;
}

export async function assess(
  mesh: ParkingMesh,
  hid: string,
  details: AssessmentDetails = drivesWalks50m(),
): Promise<{ assessmentId: string; outcome: string }> {
  const body = ok(await mesh.call('Assessor', 'POST', '/assessments', USER.Assessor, { hid, details }));
  return body.assessment;
}

export async function issue(
  mesh: ParkingMesh,
  hid: string,
  assessmentId: string,
  kind = 'driver',
  org: 'Utrecht' | 'Amsterdam' = 'Utrecht',
) {
  const body = ok(await mesh.call(org, 'POST', '/cards', USER[org], { hid, kind, assessmentId }));
  return body as {
    card: { cardNumber: string; validUntil: string; generation: number };
    tx: { endorsedBy: string[]; block: number };
  };
}

/** A registered, assessed holder with a valid driver card. */
export async function holderWithCard(mesh: ParkingMesh, who: PersonData) {
  const hid = await register(mesh, who);
  const { assessmentId } = await assess(mesh, hid);
  const { card } = await issue(mesh, hid, assessmentId);
  return { hid, assessmentId, cardNumber: card.cardNumber };
}

export async function checkCard(mesh: ParkingMesh, cardNumber: string, org: Org = 'Police') {
  return ok(
    await mesh.call(org, 'GET', `/checks/cards/${encodeURIComponent(cardNumber)}?area=0344`, USER[org]),
    200,
  );
}

export async function checkPlate(mesh: ParkingMesh, plate: string, org: Org = 'Police') {
  return ok(
    await mesh.call(org, 'GET', `/checks/plates/${encodeURIComponent(plate)}?area=0363`, USER[org]),
    200,
  );
}
