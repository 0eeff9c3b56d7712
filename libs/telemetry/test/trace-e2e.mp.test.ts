/**
 * One change's trace across processes: three real orderer processes (Raft), the two peer
 * processes, and the subsidies services of Utrecht and RVO as processes, all exporting over
 * OTLP/HTTP to the in-memory receiver of this test. A co-endorsed grant goes in over REST with
 * the test's own `traceparent`; the test then finds that trace's spans from at least four
 * services (Utrecht's subsidies service, RVO's endorser, the orderer, a peer) and checks the
 * chain of parents: REST → gateway → endorsement → submit → orderer intake → block → commit.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '@civic/gateway';
import { buildMeshPrograms, ServiceProcess, startMesh, type Mesh } from '@civic/testkit/mesh';
import {
  servicesOfTrace,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../src/testing/index.js';

let receiver: OtlpReceiver;
let mesh: Mesh;
const services: Partial<Record<'Utrecht' | 'RVO', ServiceProcess>> = {};

beforeAll(async () => {
  buildMeshPrograms(['services/subsidies']);
  receiver = await startOtlpReceiver();
  // Inherited by every process the mesh starts.
  process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = receiver.url;
  process.env['OTEL_BSP_SCHEDULE_DELAY'] = '100';
  mesh = await startMesh({ peers: ['rvo-peer', 'utrecht-peer'] });
  for (const [mspId, peerId] of [
    ['Utrecht', 'utrecht-peer'],
    ['RVO', 'rvo-peer'],
  ] as const) {
    services[mspId] = await ServiceProcess.start({
      domain: 'subsidies',
      mspId,
      peerId,
      networkDir: mesh.dir,
      channel: mesh.channel.channel,
      natsUrl: mesh.natsUrl,
    });
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(Object.values(services).map((s) => s.stop()));
  await mesh?.close();
  await receiver?.close();
  delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
}, 120_000);

async function post(mspId: 'Utrecht' | 'RVO', path: string, body: unknown, traceparent?: string) {
  const signer = mesh.net.identity(`${mspId.toLowerCase()}-user1`);
  const token = mintToken({
    cert: signer.cert,
    key: signer.key,
    audience: 'subsidies',
    ttlMs: 60_000,
    nowMs: Date.now(),
  });
  const response = await fetch(`${services[mspId]!.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(traceparent ? { traceparent } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return JSON.parse(text) as { tx: { txId: string; block: number; endorsedBy: string[] } };
}

describe('one change, one trace', () => {
  it('a co-endorsed grant is traced from the REST call to both peers’ commits', async () => {
    const schemeId = `trace-${Date.now().toString(36)}`;
    const kvk = String(10_000_000 + (Date.now() % 89_999_999)).slice(-8);
    await post('Utrecht', '/schemes', {
      id: schemeId,
      title: 'Traced scheme',
      budgetCents: 100_000_000,
      maxPerApplicantCents: 10_000_000,
      shareBasisPoints: 10_000,
      maxPerGrantCents: 10_000_000,
      deMinimis: 'GENERAL',
      endorsement: { thresholdCents: 100_000, coEndorser: 'RVO' },
    });
    await post('Utrecht', '/undertakings', { kvk, name: 'Traced BV' });

    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const granted = await post(
      'Utrecht',
      `/schemes/${schemeId}/grants`,
      { kvk, amountCents: 500_000, eligibleCostCents: 500_000 },
      `00-${traceId}-${callerSpanId}-01`,
    );
    expect(granted.tx.endorsedBy).toEqual(['RVO']);

    const inTrace = (spans: readonly ReceivedSpan[]) => spans.filter((s) => s.traceId === traceId);
    const spans = inTrace(
      await receiver.waitFor(
        (all) =>
          inTrace(all).filter((s) => s.name === 'peer commit').length >= 2 &&
          inTrace(all).some((s) => s.name === 'POST /schemes/:schemeId/grants'),
        60_000,
      ),
    );
    const services = servicesOfTrace(spans, traceId);
    expect(services.size, [...services].join(', ')).toBeGreaterThanOrEqual(4);
    expect([...services]).toEqual(
      expect.arrayContaining(['Utrecht/subsidies', 'RVO/subsidies', 'Orderers/orderer', 'peer']),
    );

    const one = (name: string, service?: string) => {
      const found = spans.filter((s) => s.name === name && (service === undefined || s.service === service));
      expect(found.length, `${name} in ${spans.map((s) => s.name).join(', ')}`).toBeGreaterThanOrEqual(1);
      return found[0]!;
    };
    const rest = one('POST /schemes/:schemeId/grants');
    const tx = one('tx subsidies/grant');
    const endorseClient = one('endorse RVO');
    const endorseServer = one('endorse', 'subsidies');
    const submit = one('orderer submit');
    const block = one('orderer block');
    const commits = spans.filter((s) => s.name === 'peer commit');
    expect(rest.parentSpanId).toBe(callerSpanId);
    expect(rest.serviceNamespace).toBe('Utrecht');
    expect(tx.parentSpanId).toBe(rest.spanId);
    expect(endorseClient.parentSpanId).toBe(tx.spanId);
    expect(endorseServer.parentSpanId).toBe(endorseClient.spanId);
    expect(endorseServer.serviceNamespace).toBe('RVO');
    expect(submit.parentSpanId).toBe(tx.spanId);
    // The envelope reaches the leader directly or through a follower's forward.
    const intake = spans.find(
      (s) => s.name === 'orderer intake' && s.attributes['civic.submit.status'] === 'ACCEPTED',
    )!;
    expect(intake.attributes['civic.tx_id']).toBe(granted.tx.txId);
    const forward = spans.find((s) => s.name === 'orderer forward');
    expect(intake.parentSpanId).toBe(forward === undefined ? submit.spanId : forward.spanId);
    expect(block.parentSpanId).toBe(intake.spanId);
    expect(block.attributes['civic.block']).toBe(granted.tx.block);
    expect(new Set(commits.map((c) => c.instance))).toEqual(new Set(['rvo-peer', 'utrecht-peer']));
    for (const commit of commits) expect(commit.parentSpanId).toBe(block.spanId);
    console.log(
      `trace ${traceId}: ${spans.length} spans from ${[...services].join(', ')}; REST call ${rest.endTimeMs - rest.startTimeMs} ms, orderer block ${block.endTimeMs - block.startTimeMs} ms`,
    );
  });
});
