import {
  BlockVerificationError,
  blockHashOf,
  chainTipOf,
  TxType,
  verifyBlock,
  verifyEnvelopes,
  type Block,
  type ChainTip,
  type Consenter,
} from '@civic/protocol';
import {
  ConfigTransactionError,
  configFromBlock,
  resolveIdentity,
  type ChannelConfig,
} from '@civic/identity';

/**
 * What `civic verify-block` checks, as a pure function of parsed blocks (the command reads the
 * files). A block verifies when its number and previous hash follow `previous` (when given),
 * its dataHash is the Merkle root of its envelopes, txCount matches, its metadata is
 * consistent, and it carries a valid signature of a consenter of `config` (the config in force:
 * from --network, the previous config block, or the block itself for a genesis block). A
 * genesis block must also carry a valid config whose creator it accepts.
 *
 * Envelope signatures are reported, not judged: an invalid transaction stays in its block with
 * a validation code, so a bad creator signature does not make a block invalid.
 */
export interface BlockVerification {
  readonly ok: boolean;
  /** Why it failed (one line), when it did. */
  readonly reason?: string;
  readonly number: number;
  readonly blockHash: string;
  /** Where the consenter set came from. */
  readonly consentersFrom: string;
  /** Checked against the previous block, or only internally. */
  readonly chainChecked: boolean;
  /** Envelopes whose creator or an endorser signature does not verify (by index). */
  readonly badEnvelopeSignatures: readonly number[];
  readonly signers: readonly string[];
}

export interface VerifyInputs {
  readonly block: Block;
  readonly previous?: Block;
  /** The config in force and where it came from, when the caller knows it. */
  readonly config?: { readonly config: ChannelConfig; readonly from: string };
}

function fail(block: Block, reason: string, from: string, chainChecked: boolean): BlockVerification {
  return {
    ok: false,
    reason,
    number: block.header.number,
    blockHash: blockHashOf(block.header),
    consentersFrom: from,
    chainChecked,
    badEnvelopeSignatures: [],
    signers: [],
  };
}

interface InForce {
  /** Consenters to check the block signature against. */
  readonly consenters: readonly Consenter[];
  readonly from: string;
  /** The config, when it is valid; otherwise why it is not (read after the hashes hold). */
  readonly config: () => ChannelConfig | string;
}

/** The consenters a genesis block names, read without validation (to check hashes first). */
function rawConsenters(block: Block): readonly Consenter[] {
  const write = block.envelopes[0]?.payload.writes[0] as { value?: { consenters?: unknown } } | undefined;
  const consenters = write?.value?.consenters;
  return Array.isArray(consenters) ? (consenters as Consenter[]) : [];
}

function configOf(block: Block): ChannelConfig | string {
  try {
    return configFromBlock(block);
  } catch (error) {
    if (error instanceof ConfigTransactionError) return `its config is invalid: ${error.message}`;
    throw error;
  }
}

/** The config in force for `block`: given, or its own (genesis), or the previous block's when that is a config block. */
function configInForce(inputs: VerifyInputs): InForce | string {
  const { block, previous } = inputs;
  const given = inputs.config;
  if (given) return { consenters: given.config.consenters, from: given.from, config: () => given.config };
  if (block.header.number === 0)
    return {
      consenters: rawConsenters(block),
      from: 'the genesis block itself',
      config: () => configOf(block),
    };
  if (previous && previous.envelopes[0]?.payload.type === TxType.CONFIG) {
    const config = configOf(previous);
    if (typeof config === 'string') return `the config of --prev block ${previous.header.number}: ${config}`;
    return {
      consenters: config.consenters,
      from: `config block ${previous.header.number} (--prev)`,
      config: () => config,
    };
  }
  return `cannot tell the consenters of block ${block.header.number}: pass --network DIR or --config FILE (or --prev with the config block before it)`;
}

export function verifyBlockInputs(inputs: VerifyInputs): BlockVerification {
  const { block, previous } = inputs;
  const found = configInForce(inputs);
  const chainChecked = previous !== undefined;
  if (typeof found === 'string') return fail(block, found, '(unknown)', chainChecked);
  const { consenters, from } = found;
  // Without the previous block, its hash is taken on trust: a tip built from the block's own header.
  const tip: ChainTip | null =
    previous !== undefined
      ? chainTipOf(previous)
      : block.header.number === 0
        ? null
        : {
            channel: block.header.channel,
            number: block.header.number - 1,
            hash: block.header.previousHash,
            time: block.header.time,
          };
  try {
    verifyBlock(block, { previous: tip, consenters });
  } catch (error) {
    if (error instanceof BlockVerificationError) return fail(block, error.message, from, chainChecked);
    throw error;
  }
  // A genesis block's config is read only once its hashes and signature hold.
  const config = found.config();
  if (typeof config === 'string')
    return fail(block, `block ${block.header.number}: ${config}`, from, chainChecked);
  if (block.header.channel !== config.channel) {
    return fail(
      block,
      `block ${block.header.number}: channel ${block.header.channel}, but the config is for ${config.channel}`,
      from,
      chainChecked,
    );
  }
  const reports = verifyEnvelopes(block);
  if (block.header.number === 0) {
    const envelope = block.envelopes[0]!;
    const creator = resolveIdentity(config, envelope.payload.creator, block.header.time);
    if (!creator.ok)
      return fail(
        block,
        `block 0: the genesis creator is refused by its config: ${creator.reason}`,
        from,
        chainChecked,
      );
    if (!reports[0]!.signaturesOk)
      return fail(block, 'block 0: the genesis transaction signature does not verify', from, chainChecked);
  }
  return {
    ok: true,
    number: block.header.number,
    blockHash: blockHashOf(block.header),
    consentersFrom: from,
    chainChecked,
    badEnvelopeSignatures: reports.filter((r) => !r.signaturesOk).map((r) => r.index),
    signers: block.metadata.signatures.map((s) => `${s.nodeId} (${s.mspId})`),
  };
}
