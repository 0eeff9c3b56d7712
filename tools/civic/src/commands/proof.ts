import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { verifyTxProof, type PeerKey, type TxProofCheck } from '@civic/client';
import { isHex } from '@civic/protocol';
import type { CommandContext } from '../main.js';
import { CliError, ExitCode, formatFields, runAction, type Output } from '../output.js';
import { certificateFile, openNetwork } from './client-support.js';

interface ProofCheckOptions {
  readonly peerCert?: string;
  readonly network?: string;
  readonly trust?: readonly string[];
  readonly requireAnchor?: boolean;
}

/** `civic proof check FILE`: an exported inclusion proof, checked offline. */
export function registerProof(program: Command, context: CommandContext): void {
  const proof = program
    .command('proof')
    .description('exported transaction inclusion proofs (docs/client.md)');
  proof
    .command('check')
    .description(
      'check an exported inclusion proof offline: header hash, audit path to dataHash, envelope, checkpoint',
    )
    .argument(
      '<file>',
      'the proof (JSON), e.g. from `civic tx TXID --export FILE` or a peer’s /tx/:txId/proof',
    )
    .option('--peer-cert <pem>', 'certificate of the peer whose checkpoint in the proof you accept')
    .option('--network <dir>', 'a network folder: accept checkpoints of its peers (their certificates)')
    .option('--trust <number:hash>', 'a block hash you trust (repeatable)', collect, [])
    .option('--require-anchor', 'fail unless the header is tied to a trusted hash or checkpoint')
    .action(async (file: string, options: ProofCheckOptions) => {
      context.exitCode = await runAction(context.output, () => check(context.output, file, options));
    });
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

function trustedHashes(entries: readonly string[]): Map<number, string> {
  const map = new Map<number, string>();
  for (const entry of entries) {
    const [number, hash, ...rest] = entry.split(':');
    if (rest.length > 0 || !/^(0|[1-9][0-9]{0,15})$/.test(number ?? '') || !isHex(hash, 32)) {
      throw new CliError(`--trust ${entry}: expected <block number>:<64 hex digits>`, ExitCode.USAGE);
    }
    map.set(Number(number), hash as string);
  }
  return map;
}

/** The key for the proof's checkpoint: --peer-cert, or the network's peer that signed it. */
function checkpointKey(options: ProofCheckOptions, proofText: string): PeerKey | undefined {
  if (options.peerCert !== undefined) return { cert: certificateFile(options.peerCert) };
  if (options.network === undefined) return undefined;
  let peerId: unknown;
  try {
    peerId = (JSON.parse(proofText) as { checkpoint?: { peerId?: unknown } }).checkpoint?.peerId;
  } catch {
    return undefined; // the check below reports the JSON error
  }
  const network = openNetwork(options.network);
  const peer = network.peers.find((p) => p.peerId === peerId);
  const identity = peer && network.identities.find((id) => id.name === peer.identity);
  return identity ? { cert: certificateFile(join(network.dir, identity.cert)) } : undefined;
}

function check(out: Output, file: string, options: ProofCheckOptions): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new CliError(`${file}: ${(cause as Error).message}`, ExitCode.FAILURE, { cause });
  }
  const key = checkpointKey(options, text);
  const result = verifyTxProof(text, {
    trustedBlockHashes: trustedHashes(options.trust ?? []),
    ...(key === undefined ? {} : { checkpointKey: key }),
    requireAnchor: options.requireAnchor === true,
  });
  if (!result.ok) throw new CliError(`${file} does not verify: ${result.failure}: ${result.reason}`);
  printVerified(out, file, result);
}

export function printVerified(out: Output, what: string, result: Extract<TxProofCheck, { ok: true }>): void {
  const { proof } = result;
  out.line(
    `OK: ${what} proves transaction ${proof.txId} in block ${proof.blockNumber} of channel ${proof.channel}`,
  );
  out.line(
    formatFields([
      ['blockHash', `${proof.blockHash} (the header's hash)`],
      ['position', `transaction ${proof.txIndex} of ${proof.treeSize}`],
      ['audit path', `${proof.auditPath.length} hashes lead to the header's dataHash`],
      [
        'txId',
        result.txIdBound
          ? 'bound (the envelope is included and hashes to it)'
          : "the peer's word (no envelope included)",
      ],
      ['code', proof.code === undefined ? '(not given)' : `${proof.code} (the peer's word)`],
      [
        'anchored',
        result.anchor === null
          ? 'no: the header is not tied to a hash or checkpoint you trust'
          : result.anchor.by === 'checkpoint'
            ? `to ${result.anchor.peerId}'s signed checkpoint at block ${result.anchor.height}`
            : 'to a block hash you trust',
      ],
    ]),
  );
  for (const note of result.notes) out.line(`note: ${note}`);
}
