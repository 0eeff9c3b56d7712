import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  PeerClient,
  PeerNotFoundError,
  verifyCheckpoint,
  verifyTxProof,
  type Checkpoint,
  type TxInclusionProof,
} from '@civic/client';
import { blockHashOf, isHex, parseBlock, parseEnvelope, type Hex } from '@civic/protocol';
import type { CommandContext } from '../main.js';
import { CliError, ExitCode, formatFields, runAction, type Output } from '../output.js';
import { asCliError, peerKeyOf, peerToken, peerUrl, withPeerAuth } from './client-support.js';
import { subjectOf } from './inspect.js';

interface TxOptions {
  readonly peer?: string;
  readonly network?: string;
  readonly host?: string;
  readonly peerCert?: string;
  readonly user?: string;
  readonly token?: string;
  readonly export?: string;
}

/** Most headers fetched to tie an old block to the peer's current checkpoint. */
const LINK_BLOCKS_MAX = 10_000;

/** `civic tx TXID`: the transaction, its code, its block, its inclusion proof checked. */
export function registerTx(program: Command, context: CommandContext): void {
  const command = program
    .command('tx')
    .description(
      "a transaction as a peer has it: code, block, and its inclusion proof checked against the peer's signed checkpoint",
    )
    .argument('<txId>', 'transaction id (64 hex digits)')
    .option('--peer <url>', "the peer's REST API (default: the first peer of --network)")
    .option(
      '--network <dir>',
      'a network folder: default peer, and the peer certificates that sign checkpoints',
    )
    .option('--host <host>', 'host of the network’s nodes', '127.0.0.1')
    .option('--peer-cert <pem>', "the peer's certificate, to check its checkpoint (default: from --network)")
    .option('--export <file>', 'write the inclusion proof (with the checkpoint) for `civic proof check`');
  withPeerAuth(command).action(async (txId: string, options: TxOptions) => {
    context.exitCode = await runAction(context.output, () => showTx(context.output, txId, options));
  });
}

async function showTx(out: Output, txId: string, options: TxOptions): Promise<void> {
  if (!isHex(txId, 32)) throw new CliError(`${txId} is not a txId (64 lowercase hex digits)`, ExitCode.USAGE);
  const url = peerUrl(options);
  const token = peerToken(options, url);
  const peer = PeerClient.http(url, token === undefined ? {} : { token });
  let tx;
  let proof: TxInclusionProof;
  try {
    tx = await peer.tx(txId);
    proof = await peer.proof(txId, { checkpoint: true });
  } catch (error) {
    if (error instanceof PeerNotFoundError)
      throw new CliError(`the peer at ${url} has no transaction ${txId}`);
    asCliError(error, url);
  }
  out.line(`transaction ${txId}`);
  out.line(formatFields(describe(tx, proof), '  '));
  const key = peerKeyOf(options, url);
  let checkpoint: Checkpoint | null = null;
  let linked: Hex | null = null;
  if (key !== null && proof.checkpoint !== undefined) {
    try {
      checkpoint = verifyCheckpoint(proof.checkpoint, key.key);
    } catch (error) {
      throw new CliError(
        `the peer's checkpoint does not verify: ${(error as Error).message}`,
        ExitCode.FAILURE,
        { cause: error },
      );
    }
    linked = await linkToCheckpoint(peer, proof, checkpoint);
  }
  const result = verifyTxProof(
    proof,
    linked === null ? {} : { trustedBlockHashes: { [proof.blockNumber]: linked } },
  );
  if (!result.ok)
    throw new CliError(`the inclusion proof of ${txId} does not verify: ${result.failure}: ${result.reason}`);
  if (tx.code !== proof.code)
    out.line(`note: the transaction says code ${tx.code}, its proof ${String(proof.code)}`);
  out.line(
    `proof: verified (audit path of ${proof.auditPath.length} hashes from transaction ${proof.txIndex} to the dataHash of block ${proof.blockNumber}, whose header hashes to its blockHash)`,
  );
  out.line(
    checkpoint === null
      ? "anchored: no (no peer certificate to check the peer's checkpoint: pass --network or --peer-cert)"
      : `anchored: block ${proof.blockNumber} is in the chain of ${checkpoint.peerId}'s signed checkpoint at block ${checkpoint.height} (${checkpoint.height - proof.blockNumber} later headers linked)`,
  );
  if (options.export !== undefined) {
    writeFileSync(options.export, `${JSON.stringify(proof, null, 2)}\n`);
    out.line(`wrote the proof to ${options.export}`);
  }
}

function describe(tx: Awaited<ReturnType<PeerClient['tx']>>, proof: TxInclusionProof): [string, string][] {
  const fields: [string, string][] = [
    ['code', tx.reason ? `${tx.code} (${tx.reason})` : tx.code],
    ['block', `${tx.block}, transaction ${tx.txIndex} of ${proof.treeSize}`],
    ['blockHash', tx.blockHash],
    ['block time', proof.header.time],
  ];
  try {
    const { payload } = parseEnvelope(tx.envelope);
    fields.push(
      ['namespace', `${payload.namespace} / ${payload.action}`],
      ['creator', `${payload.creator.mspId}: ${subjectOf(payload.creator.cert)}`],
      ['txTime', payload.txTime],
      ['event', payload.event.type],
    );
  } catch {
    fields.push(['envelope', 'does not parse (a MALFORMED transaction)']);
  }
  return fields;
}

/**
 * Ties the proof's block to the checkpoint: the headers after it must chain to the
 * checkpoint's blockHash. Returns the proof block's hash as the chain has it.
 */
async function linkToCheckpoint(
  peer: PeerClient,
  proof: TxInclusionProof,
  checkpoint: Checkpoint,
): Promise<Hex> {
  const n = proof.blockNumber;
  if (checkpoint.channel !== proof.channel)
    throw new CliError(`the checkpoint is for channel ${checkpoint.channel}`);
  if (checkpoint.height < n)
    throw new CliError(`the checkpoint (block ${checkpoint.height}) is older than block ${n}`);
  if (checkpoint.height - n > LINK_BLOCKS_MAX) {
    throw new CliError(`block ${n} is more than ${LINK_BLOCKS_MAX} blocks before the checkpoint; not linked`);
  }
  let hash = proof.blockHash;
  try {
    for await (const served of peer.blocks(n + 1, checkpoint.height)) {
      const { header } = parseBlock(served.block);
      if (header.previousHash !== hash) {
        throw new CliError(
          `block ${header.number}'s previousHash does not chain to block ${header.number - 1} of the proof`,
        );
      }
      hash = blockHashOf(header);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    asCliError(error, `linking block ${n} to the checkpoint`);
  }
  if (hash !== checkpoint.blockHash) {
    throw new CliError(
      `the chain from block ${n} reaches ${hash}, not the checkpoint's blockHash ${checkpoint.blockHash}`,
    );
  }
  return proof.blockHash;
}
