import { pick, type Story } from './story.js';

/**
 * Parking: Utrecht registers a holder, the independent Assessor records a positive assessment,
 * Utrecht issues a card (endorsed by the Assessor), the police check it (VALID, with an
 * inclusion proof), Utrecht issues a duplicate for a lost card, and the old card checks INVALID.
 */
export async function parkingStory(story: Story): Promise<void> {
  story.section('Parking: a disabled parking card, a roadside check, a lost card');
  const utrecht = { domain: 'parking', mspId: 'Utrecht', user: 'utrecht-user1' } as const;
  const assessor = { domain: 'parking', mspId: 'Assessor', user: 'assessor-user1' } as const;
  const police = { domain: 'parking', mspId: 'Police', user: 'police-user1' } as const;
  const today = new Date().toISOString().slice(0, 10);
  const n = parseInt(story.runId, 36) % 1_000_000;

  const holder = await story.step(
    'Utrecht registers a holder (BSN, name and address stay in its private store; the chain gets a salted id)',
    {
      ...utrecht,
      method: 'POST',
      path: '/holders',
      body: {
        personId: bsn(n),
        name: `Demo Persoon ${story.runId}`,
        address: {
          street: 'Kievitlaan',
          houseNumber: String(1 + (n % 900)),
          postcode: '3511 NK',
          city: 'Utrecht',
        },
      },
    },
    201,
    (r) => `holder id ${String(pick(r.body, 'holder.hid')).slice(0, 16)}…`,
  );
  const hid = String(pick(holder.body, 'holder.hid'));
  const assessment = await story.step(
    'The independent Assessor records a positive medical assessment (details private, a hash on the chain)',
    {
      ...assessor,
      method: 'POST',
      path: '/assessments',
      body: {
        hid,
        details: {
          assessedOn: today,
          walkingDistanceMaxM: 50,
          wheelchairPermanent: false,
          drives: true,
          needsDoorToDoorHelp: false,
          expectedDurationMonths: 'permanent',
          notes: 'demo',
        },
      },
    },
    201,
    (r) => `assessment ${String(pick(r.body, 'assessment.assessmentId'))}`,
  );
  const card = await story.step(
    'Utrecht issues a driver card; the Assessor re-checks the rules on its own state and endorses',
    {
      ...utrecht,
      method: 'POST',
      path: '/cards',
      body: { hid, kind: 'driver', assessmentId: pick(assessment.body, 'assessment.assessmentId') },
    },
    201,
    (r) =>
      `card ${String(pick(r.body, 'card.cardNumber'))} valid until ${String(pick(r.body, 'card.validUntil'))}`,
  );
  const cardNumber = String(pick(card.body, 'card.cardNumber'));
  const checkLine = (r: { body: unknown }) =>
    `check: ${String(pick(r.body, 'check.status'))} (${String(pick(r.body, 'check.reason'))})${
      pick(r.body, 'check.supersededBy')
        ? `, superseded by ${String(pick(r.body, 'check.supersededBy'))}`
        : ''
    }; proof of ${Array.isArray(pick(r.body, 'proof.records')) ? (pick(r.body, 'proof.records') as unknown[]).length : 0} records`;
  await story.step(
    `The police check card ${cardNumber} at the roadside`,
    { ...police, method: 'GET', path: `/checks/cards/${cardNumber}?area=0344` },
    200,
    checkLine,
  );
  await story.step(
    'The card is lost: Utrecht issues a duplicate (endorsed by the Assessor); every earlier card is invalid at once',
    { ...utrecht, method: 'POST', path: `/cards/${cardNumber}/duplicate`, body: { reason: 'lost' } },
    201,
    (r) => `new card ${String(pick(r.body, 'card.cardNumber'))}`,
  );
  await story.step(
    `The police check the old card ${cardNumber} again`,
    { ...police, method: 'GET', path: `/checks/cards/${cardNumber}?area=0344` },
    200,
    checkLine,
  );
}

/** A valid BSN (11-check) from a number: eight digits, then the check digit. */
export function bsn(seed: number): string {
  for (let i = 0; ; i++) {
    const head = String(10_000_000 + ((seed + i) % 89_999_999)).padStart(8, '0');
    let sum = 0;
    for (let d = 0; d < 8; d++) sum += (9 - d) * Number(head[d]);
    const check = sum % 11;
    if (check <= 9) return `${head}${check}`;
  }
}
