import { describe, expect, it } from 'vitest';
import {
  parseBlock,
  serializeBlock,
  verifyBlock,
  verifyEnvelopes,
  type Block,
  type Envelope,
} from '@civic/protocol';
import {
  buildConfigEnvelope,
  buildGenesisBlock,
  ConfigCheckStep,
  configFromBlock,
  configFromEnvelope,
  ConfigTransactionError,
  configTransactionOutcome,
  createNetwork,
  GenesisError,
  genesisTransactionOutcome,
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

describe('config transaction outcome (the one rule of peers and orderers)', () => {
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
  const outcome = (envelope: Envelope, version: string | null = '0:0', at = T0_MS) =>
    configTransactionOutcome(config, version, envelope, at);

  it('accepts an update signed by a majority of application admins that reads the current version', () => {
    const result = outcome(update());
    expect(result.valid).toBe(true);
    if (result.valid) {
      expect(result.config.batch.timeoutMs).toBe(25);
      expect(result.signers.map((s) => s.commonName)).toEqual(['rvo-admin', 'utrecht-admin']);
    }
  });

  it('refuses an update signed by too few admins with INVALID_CONFIG, saying who is missing', () => {
    const result = outcome(update({ endorsers: [identity('orderers-admin')] }));
    expect(result).toMatchObject({ valid: false, code: 'INVALID_CONFIG', step: ConfigCheckStep.ADMINS });
    if (!result.valid) expect(result.reason).toContain("missing one of 'Utrecht.admin', 'Assessor.admin'");
    const clients = outcome(
      update({ creator: identity('rvo-subsidies'), endorsers: [identity('utrecht-parking')] }),
    );
    expect(clients).toMatchObject({ valid: false, code: 'INVALID_CONFIG', step: ConfigCheckStep.ADMINS });
  });

  it('refuses a wrong sequence, a bad signature, an expired signer and an invalid config with their codes', () => {
    expect(outcome(update({ config: { ...next, sequence: 2 } }))).toMatchObject({
      valid: false,
      code: 'INVALID_CONFIG',
      step: ConfigCheckStep.UPDATE_RULES,
    });
    const envelope = update();
    const forged = {
      ...envelope,
      endorsements: [{ ...envelope.endorsements[0]!, signature: envelope.signature }],
    };
    expect(outcome(forged)).toMatchObject({
      valid: false,
      code: 'BAD_SIGNATURE',
      step: ConfigCheckStep.SIGNERS,
    });
    expect(outcome(envelope, '0:0', T0_MS + 3 * 365 * 86_400_000)).toMatchObject({
      valid: false,
      code: 'EXPIRED_IDENTITY',
    });
    const invalid = {
      ...envelope,
      payload: { ...envelope.payload, writes: [{ key: 'channel', value: { ...next, batch: null } }] },
    };
    expect(outcome(invalid as never)).toMatchObject({
      valid: false,
      code: 'INVALID_CONFIG',
      step: ConfigCheckStep.CONFIG,
    });
    expect(outcome({ nope: true } as never)).toMatchObject({ valid: false, code: 'MALFORMED' });
  });

  it('refuses an update that does not read the config at its current version (MVCC_READ_CONFLICT), last', () => {
    expect(outcome(update({ readVersion: '3:0' }))).toMatchObject({
      valid: false,
      code: 'MVCC_READ_CONFLICT',
      step: ConfigCheckStep.READ_VERSION,
    });
    expect(outcome(update(), '4:0')).toMatchObject({ valid: false, code: 'MVCC_READ_CONFLICT' });
    // The rules and the admins policy are judged before the read version.
    expect(outcome(update({ readVersion: '3:0', endorsers: [] }))).toMatchObject({
      step: ConfigCheckStep.ADMINS,
    });
  });
});

describe('genesis transaction outcome', () => {
  const { config } = smallNetwork();
  const genesisTx = (fields: Partial<Parameters<typeof buildConfigEnvelope>[0]> = {}) =>
    buildConfigEnvelope({
      config,
      creator: identity('orderers-admin'),
      readVersion: null,
      txTime: T0_MS,
      ...fields,
    });

  it('accepts sequence 0 read at null by an admin of the config itself', () => {
    const result = genesisTransactionOutcome(genesisTx(), T0_MS);
    expect(result).toMatchObject({ valid: true, config });
  });

  it('refuses a non-admin creator, a creator not valid at the block time, a later sequence', () => {
    expect(genesisTransactionOutcome(genesisTx({ creator: identity('rvo-subsidies') }), T0_MS)).toMatchObject(
      {
        valid: false,
        code: 'INVALID_CONFIG',
        step: ConfigCheckStep.GENESIS,
      },
    );
    expect(genesisTransactionOutcome(genesisTx(), T0_MS - 86_400_000)).toMatchObject({
      valid: false,
      code: 'EXPIRED_IDENTITY',
    });
    const later = genesisTx({ config: { ...config, sequence: 1 }, readVersion: '0:0' });
    expect(genesisTransactionOutcome(later, T0_MS)).toMatchObject({
      valid: false,
      code: 'INVALID_CONFIG',
      reason: 'the genesis config has sequence 1, not 0',
    });
  });
});
