/** Test people: valid BSNs (11-check) made from a counter, with names and addresses to scan for. */
import type { AssessmentDetails, PersonData } from '../../src/domain/index.js';

let counter = Math.floor(Math.random() * 1_000_000);

/** A fresh valid BSN: eight digits from a counter, the ninth so that the 11-check holds. */
export function freshBsn(): string {
  for (;;) {
    const head = String(10_000_000 + (counter++ % 89_999_999)).padStart(8, '0');
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += (9 - i) * Number(head[i]);
    const check = sum % 11;
    if (check <= 9) return `${head}${check}`;
  }
}

let names = 0;

export function person(city: 'Utrecht' | 'Amsterdam' = 'Utrecht'): PersonData {
  const n = ++names;
  return {
    personId: freshBsn(),
    name: `Testpersoon Zwaluwstaart-${n}`,
    address: {
      street: `Kievitlaan${n}`,
      houseNumber: String(n),
      postcode: city === 'Utrecht' ? '3511 NK' : '1016 GV',
      city,
    },
  };
}

/** An instant's Dutch calendar date (tests run near 10:00 UTC; midnight edges do not matter here). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function drivesWalks50m(notes = 'Coxartrose links, wacht op heupprothese'): AssessmentDetails {
  return {
    assessedOn: today(),
    walkingDistanceMaxM: 50,
    wheelchairPermanent: false,
    drives: true,
    needsDoorToDoorHelp: false,
    expectedDurationMonths: 'permanent',
    notes,
  };
}

export function walksFar(): AssessmentDetails {
  return { ...drivesWalks50m('Loopt 2 km zonder hulp'), walkingDistanceMaxM: 2000 };
}
