import { describe, expect, it } from 'vitest';
import { parseBlock, serializeBlock, verifyBlock, verifyEnvelopes, type Block } from '@civic/protocol';
import {
  buildConfigEnvelope,
  buildGenesisBlock,
  checkConfigEnvelope,
  configFromBlock,
  configFromEnvelope,
  ConfigTransactionError,
  createNetwork,
  GenesisError,
  seededKeySource,
  type ChannelConfig,
} from '../src/index.js';
import { identity, SMALL_SPEC, smallNetwork, T0_MS } from './helpers.js';

const consenter = (name: string) => {
  const id = identity(name);
  return { nodeId: name, mspId: id.mspId, cert: id.cert, key: id.key };
};

describe('genesis block', () => {
  const { config } = smallNetwork();
  const genesis = buildGenesisBlock({
    config,
    admin: identity('orderers-admin'),
    consenter: consenter('orderer2'),
    time: T0_MS,
    nonce: '11'.repeat(32),
  });

  it('verifies with the consenters of its own config and carries the config', () => {
    const verified = verifyBlock(genesis, { previous: null, consenters: config.consenters });
    expect(verified.txIds).toHaveLength(1);
    expect(verifyEnvelopes(genesis).every((r) => r.signaturesOk)).toBe(true);
    expect(configFromBlock(genesis)).toEqual(config);
    expect(genesis.header).toMatchObject({
      number: 0,
      txCount: 1,
      channel: 'test-channel',
      time: '2026-03-01T12:00:00.000Z',
    });
    expect(genesis.metadata).toMatchObject({ raft: { term: 0, index: 0 }, configNumber: 0 });
    const payload = genesis.envelopes[0]!.payload;
    expect(payload).toMatchObject({
      type: 'config',
      namespace: 'config',
      action: 'update',
      reads: [{ key: 'channel', version: null }],
    });
    expect(payload.event).toEqual({ type: 'config.updated', data: { sequence: 0 } });
  });

  it('is byte-identical for the same seed, time and nonce', () => {
    const again = createNetwork(SMALL_SPEC, {
      timeMs: T0_MS,
      keys: seededKeySource('identity-tests'),
      genesisNonce: '11'.repeat(32),
    });
    const first = createNetwork(SMALL_SPEC, {
      timeMs: T0_MS,
      keys: seededKeySource('identity-tests'),
      genesisNonce: '11'.repeat(32),
    });
    expect(Buffer.from(again.genesisBytes).equals(Buffer.from(first.genesisBytes))).toBe(true);
    expect(parseBlock(first.genesisBytes)).toEqual(first.genesis);
    expect(Buffer.from(serializeBlock(first.genesis)).equals(Buffer.from(first.genesisBytes))).toBe(true);
  });

  it('refuses a config that is not sequence 0, a stranger consenter, a non-admin creator', () => {
    expect(() =>
      buildGenesisBlock({
        config: { ...config, sequence: 1 },
        admin: identity('orderers-admin'),
        consenter: consenter('orderer1'),
        time: T0_MS,
      }),
    ).toThrow(GenesisError);
    const stranger = { ...consenter('orderer1'), nodeId: 'orderer9' };
    expect(() =>
      buildGenesisBlock({ config, admin: identity('orderers-admin'), consenter: stranger, time: T0_MS }),
    ).toThrow(/not a consenter/);
    expect(() =>
      buildGenesisBlock({
        config,
        admin: identity('rvo-subsidies'),
        consenter: consenter('orderer1'),
        time: T0_MS,
      }),
    ).toThrow(/must be an admin/);
    expect(() =>
      buildGenesisBlock({
        config,
        admin: identity('rvo-admin'),
        consenter: consenter('orderer1'),
        time: T0_MS - 86_400_000,
      }),
    ).toThrow(/not valid before/);
  });

  it('refuses to read a config out of a block that is not a config block', () => {
    const twice: Block = { ...genesis, envelopes: [genesis.envelopes[0]!, genesis.envelopes[0]!] };
    expect(() => configFromBlock(twice)).toThrow(/exactly one envelope/);
    const envelope = genesis.envelopes[0]!;
    const wrongSequence = {
      ...envelope,
      payload: { ...envelope.payload, event: { type: 'config.updated', data: { sequence: 1 } } },
    };
    expect(() => configFromEnvelope(wrongSequence)).toThrow(ConfigTransactionError);
    expect(() => configFromEnvelope({ nope: true })).toThrow(/not a well-formed envelope/);
  });
});

describe('config update envelopes', () => {
  const { config } = smallNetwork();
  const next: ChannelConfig = { ...config, sequence: 1, batch: { ...config.batch, timeoutMs: 25 } };
  const update = (fields: Partial<Parameters<typeof buildConfigEnvelope>[0]> = {}) =>
    buildConfigEnvelope({
      config: next,
      creator: identity('rvo-admin'),
      endorsers: [identity('utrecht-admin')],
      readVersion: '0:0',
      txTime: T0_MS,
      ...fields,
    });

  it('accepts an update signed by a majority of application admins', () => {
    const result = checkConfigEnvelope(config, update(), T0_MS);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.config.batch.timeoutMs).toBe(25);
      expect(result.signers.map((s) => s.commonName)).toEqual(['rvo-admin', 'utrecht-admin']);
    }
  });

  it('refuses an update signed by too few admins, saying who is missing', () => {
    const result = checkConfigEnvelope(config, update({ endorsers: [identity('orderers-admin')] }), T0_MS);
    expect(result).toMatchObject({ ok: false, code: 'ENDORSEMENT_POLICY_FAILURE' });
    if (!result.ok) expect(result.reason).toContain("missing one of 'Utrecht.admin', 'Assessor.admin'");
    const clients = checkConfigEnvelope(
      config,
      update({ creator: identity('rvo-subsidies'), endorsers: [identity('utrecht-parking')] }),
      T0_MS,
    );
    expect(clients).toMatchObject({ ok: false, code: 'ENDORSEMENT_POLICY_FAILURE' });
  });

  it('refuses a wrong sequence, a bad signature and an expired signer with their codes', () => {
    expect(checkConfigEnvelope(config, update({ config: { ...next, sequence: 2 } }), T0_MS)).toMatchObject({
      ok: false,
      code: 'INVALID_CONFIG',
    });
    const envelope = update();
    const forged = {
      ...envelope,
      endorsements: [{ ...envelope.endorsements[0]!, signature: envelope.signature }],
    };
    expect(checkConfigEnvelope(config, forged, T0_MS)).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    expect(checkConfigEnvelope(config, envelope, T0_MS + 3 * 365 * 86_400_000)).toMatchObject({
      ok: false,
      code: 'EXPIRED_IDENTITY',
    });
    const invalid = {
      ...envelope,
      payload: { ...envelope.payload, writes: [{ key: 'channel', value: { ...next, batch: null } }] },
    };
    expect(checkConfigEnvelope(config, invalid as never, T0_MS)).toMatchObject({
      ok: false,
      code: 'INVALID_CONFIG',
    });
  });
});
