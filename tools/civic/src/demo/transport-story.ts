import { pick, type Story } from './story.js';

const MIN_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * Transport: RDW registers a driver card for the haulier, the haulier uploads a week of
 * tachograph records (one stint of 5 h driving without the 45-minute break each day), the
 * compliance engine's findings go on the chain with the upload, the haulier reads them, and ILT
 * inspects the company: it fetches the records over NATS, checks them against the chain's hash,
 * and records the same findings.
 */
export async function transportStory(story: Story): Promise<void> {
  story.section("Transport: a driver's week, its findings, an inspection");
  const rdw = { domain: 'transport', mspId: 'RDW', user: 'rdw-user1' } as const;
  const haulier = { domain: 'transport', mspId: 'Haulier', user: 'haulier-user1' } as const;
  const ilt = { domain: 'transport', mspId: 'ILT', user: 'ilt-user1' } as const;
  const card = `DEMO${String(parseInt(story.runId, 36)).padStart(12, '0').slice(-12)}`;
  const { activities, from, to } = demoWeek(Date.now());
  const range = `from=${from}&to=${to}`;

  await story.step(
    `RDW registers driver card ${card} for the haulier`,
    {
      ...rdw,
      method: 'POST',
      path: '/cards',
      body: {
        cardNumber: card,
        driver: { name: `Demo Chauffeur ${story.runId}`, birthDate: '1980-04-01' },
        company: 'Haulier',
        validFrom: '2025-01-01',
        validUntil: '2029-12-31',
      },
    },
    201,
    () => '',
  );
  await story.step(
    `The haulier uploads the week of ${from.slice(0, 10)} (${activities.length} periods; the records stay with the company, their hash goes on the chain)`,
    { ...haulier, method: 'POST', path: `/drivers/${card}/records`, body: { activities } },
    201,
    (r) =>
      `upload ${String(pick(r.body, 'upload.uploadId')).slice(0, 16)}…, hash ${String(pick(r.body, 'upload.hash')).slice(0, 16)}…`,
  );
  await story.step(
    "The haulier reads the week's compliance",
    { ...haulier, method: 'GET', path: `/drivers/${card}/compliance?${range}` },
    200,
    (r) => `findings: ${summarise(pick(r.body, 'findings'))}`,
  );
  await story.step(
    'ILT inspects the company: records fetched over NATS and checked against the chain, findings recorded',
    {
      ...ilt,
      method: 'POST',
      path: '/inspections',
      body: { cardNumber: card, kind: 'COMPANY', from, to, reference: `DEMO-${story.runId}` },
    },
    201,
    (r) =>
      `inspection ${String(pick(r.body, 'inspection.inspectionId') ?? pick(r.body, 'inspection.id'))}: ${summarise(pick(r.body, 'inspection.infringements'))}`,
  );
}

/** `3 × DAILY_BREAK (MI)`: counts per rule of a list of findings. */
function summarise(list: unknown): string {
  if (!Array.isArray(list) || list.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const f of list) {
    const rule = `${String(pick(f, 'rule'))}${pick(f, 'severity') ? ` (${String(pick(f, 'severity'))})` : ''}`;
    counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  return [...counts].map(([rule, n]) => `${n} × ${rule}`).join(', ');
}

/**
 * Five working days of the last full week at least a week ago (Monday 00:00 UTC to the next
 * Monday): from 06:00 each day, 5 h driving (over the 4.5 h limit without a break), a 45-minute
 * break, 4 h driving, 30 min other work; rest in between.
 */
export function demoWeek(nowMs: number): {
  activities: { start: string; end: string; activity: string }[];
  from: string;
  to: string;
} {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const weekday = (new Date(today).getUTCDay() + 6) % 7; // Monday 0
  const mondayMs = today - weekday * DAY_MS - 14 * DAY_MS;
  const activities: { start: string; end: string; activity: string }[] = [];
  let cursor = mondayMs;
  const push = (activity: string, minutes: number) => {
    activities.push({ start: iso(cursor), end: iso(cursor + minutes * MIN_MS), activity });
    cursor += minutes * MIN_MS;
  };
  for (let day = 0; day < 5; day++) {
    const startMs = mondayMs + day * DAY_MS + 6 * 60 * MIN_MS;
    push('BREAK_REST', (startMs - cursor) / MIN_MS);
    push('DRIVING', 300);
    push('BREAK_REST', 45);
    push('DRIVING', 240);
    push('OTHER_WORK', 30);
  }
  return { activities, from: iso(mondayMs), to: iso(mondayMs + 7 * DAY_MS) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
