import { connectNats, requestJson, subjects, closeNats } from '@civic/messaging';
import { createPayload, createEnvelope, txIdOf } from '@civic/protocol';
import { loadSigner } from '@civic/identity';
const [dir, channel] = process.argv.slice(2);
const signer = loadSigner(dir, 'rvo-subsidies');
const nc = await connectNats({ url: 'nats://127.0.0.1:4222', name: 'e2e' });
const ids = [];
for (let i = 0; i < 20; i++) {
  const payload = createPayload({
    channel,
    namespace: 'subsidies',
    action: 'grant',
    txTime: Date.now(),
    creator: { mspId: signer.mspId, cert: signer.cert },
    reads: [{ key: `e2e/${i}`, version: null }],
    writes: [{ key: `e2e/${i}`, value: { amountCents: i } }],
    event: { type: 'grant.made', data: { i } },
  });
  const envelope = createEnvelope(payload, signer.key);
  const reply = await requestJson(nc, subjects(channel).txSubmit, envelope, { timeoutMs: 5000 });
  if (reply.status !== 'ACCEPTED') console.log(reply);
  ids.push(txIdOf(payload));
}
console.log('submitted', ids.length, ids[0]);
await closeNats(nc);
