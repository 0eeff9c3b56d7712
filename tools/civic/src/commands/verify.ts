import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import {
  BlockVerifier,
  CommitHashChain,
  codesByTxId,
  holdToCheckpoint,
  PeerClient,
  verifyCheckpoint,
  type Checkpoint,
  type PeerBlock,
} from '@civic/client';
import { blockHashOf, parseBlock, txIdOf, type Hex } from '@civic/protocol';
import type { CommandContext } from '../main.js';
import { CliError, ExitCode, formatFields, runAction, type Output } from '../output.js';
import {
  asCliError,
  genesisVerifier,
  openNetwork,
  peerKeyOf,
  peerToken,
  peerUrl,
  withPeerAuth,
  verifierOptions,
} from './client-support.js';

interface VerifyOptions {
  readonly peer?: string;
  readonly network?: string;
  readonly host?: string;
  readonly peerCert?: string;
  readonly user?: string;
  readonly token?: string;
  readonly progress?: boolean;
}

/** `civic verify --peer URL`: re-verifies a peer's whole chain from genesis. */
export function registerVerify(program: Command, context: CommandContext): void {
  const command = program
    .command('verify')
    .description(
      "fetch a peer's whole chain and re-verify it from genesis (hashes, signatures, config changes, commit hashes), with a progress bar",
    )
    .option('--peer <url>', "the peer's REST API (default: the first peer of --network)")
    .option(
      '--network <dir>',
      "a network folder: its genesis block is the trust anchor (else the peer's own block 0 is trusted)",
    )
    .option('--host <host>', 'host of the network’s nodes', '127.0.0.1')
    .option(
      '--peer-cert <pem>',
      "the peer's certificate, to check its signed checkpoint (default: from --network)",
    )
    .option('--no-progress', 'no progress bar on stderr');
  withPeerAuth(command).action(async (options: VerifyOptions) => {
    context.exitCode = await runAction(context.output, () => verifyPeer(context.output, options));
  });
}

interface Tally {
  transactions: number;
  badEnvelopeSignatures: number;
}

async function verifyPeer(out: Output, options: VerifyOptions): Promise<void> {
  const url = peerUrl(options);
  const token = peerToken(options, url);
  const peer = PeerClient.http(url, token === undefined ? {} : { token });
  const startedMs = performance.now();
  const checkpoint = await signedCheckpoint(peer, options, url, out);
  let target: number;
  try {
    target = checkpoint?.height ?? (await peer.height()).height;
  } catch (error) {
    asCliError(error, url);
  }
  if (target < 0) throw new CliError(`the peer at ${url} has no block yet`);
  const genesis = await fetchBlock(peer, 0, url);
  const verifier =
    options.network === undefined ? peerGenesis(genesis, out) : genesisVerifier(openNetwork(options.network));
  const genesisHash = hashOf(genesis, url);
  if (genesisHash !== verifier.tip.hash) {
    throw new CliError(
      `block 0 of the peer (${genesisHash}) is not the network's genesis block (${verifier.tip.hash})`,
    );
  }
  const commits = new CommitHashChain();
  const genesisTxIds = parseBlock(genesis.block).envelopes.map((e) => txIdOf(e.payload));
  const tally: Tally = { transactions: genesisTxIds.length, badEnvelopeSignatures: 0 };
  const codes0 = codesByTxId(genesisTxIds, genesis.codes);
  checkCommit(commits, 0, genesisHash, codes0, genesis.commitHash);
  const bar =
    options.progress === false
      ? null
      : new SingleBar({
          format: 'verify [{bar}] {value}/{total} blocks',
          stream: process.stderr,
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 2_000,
        });
  bar?.start(target + 1, 1);
  try {
    if (target >= 1) {
      for await (const served of peer.blocks(1, target)) {
        verifyOne(verifier, commits, served, tally);
        bar?.update(served.number + 1);
      }
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    asCliError(error, url);
  } finally {
    bar?.stop();
  }
  if (checkpoint !== null) {
    try {
      holdToCheckpoint(checkpoint, {
        height: verifier.tip.number,
        blockHash: verifier.tip.hash,
        commitHash: commits.commitHash,
      });
    } catch (error) {
      throw new CliError(
        `the chain does not match the peer's own signed checkpoint: ${(error as Error).message}`,
        ExitCode.FAILURE,
        { cause: error },
      );
    }
  }
  const seconds = (performance.now() - startedMs) / 1000;
  out.line(`OK: the chain of ${verifier.tip.channel} served by ${url} verifies from genesis`);
  out.line(
    formatFields([
      [
        'height',
        `${verifier.tip.number} (${verifier.tip.number + 1} blocks, ${tally.transactions} transactions, ${seconds.toFixed(1)} s)`,
      ],
      ['blockHash', verifier.tip.hash],
      ['commitHash', `${commits.commitHash} (recomputed from the peer's codes)`],
      [
        'config in force',
        `block ${verifier.config.number} (sequence ${verifier.config.sequence}), consenters ${verifier.config.consenters.map((c) => c.nodeId).join(', ')}`,
      ],
      [
        'checkpoint',
        checkpoint === null
          ? 'not checked (no peer certificate: pass --network or --peer-cert)'
          : `${checkpoint.peerId}'s signed checkpoint at block ${checkpoint.height} matches`,
      ],
    ]),
  );
  if (tally.badEnvelopeSignatures > 0) {
    out.line(
      `note: ${tally.badEnvelopeSignatures} transactions carry signatures that do not verify (they are in their blocks with a code)`,
    );
  }
}

async function signedCheckpoint(
  peer: PeerClient,
  options: VerifyOptions,
  url: string,
  out: Output,
): Promise<Checkpoint | null> {
  const key = peerKeyOf(options, url);
  if (key === null) return null;
  let checkpoint: Checkpoint;
  try {
    checkpoint = await peer.checkpoint();
  } catch (error) {
    asCliError(error, url);
  }
  try {
    return verifyCheckpoint(checkpoint, key.key);
  } catch (error) {
    out.error(
      `civic: the peer's checkpoint does not verify with its certificate: ${(error as Error).message}`,
    );
    throw new CliError(`the peer at ${url} signs checkpoints with another key`, ExitCode.FAILURE, {
      cause: error,
    });
  }
}

async function fetchBlock(peer: PeerClient, number: number, url: string): Promise<PeerBlock> {
  try {
    return await peer.block(number);
  } catch (error) {
    asCliError(error, url);
  }
}

function hashOf(served: PeerBlock, url: string): Hex {
  try {
    return blockHashOf(parseBlock(served.block).header);
  } catch (error) {
    throw new CliError(
      `block ${served.number} from ${url} does not parse: ${(error as Error).message}`,
      ExitCode.FAILURE,
      { cause: error },
    );
  }
}

function peerGenesis(genesis: PeerBlock, out: Output): BlockVerifier {
  out.error("civic: no --network: trusting the peer's own genesis block");
  try {
    return BlockVerifier.fromGenesis(genesis.block, verifierOptions);
  } catch (error) {
    throw new CliError(
      `block 0 of the peer is not a genesis block that verifies: ${(error as Error).message}`,
      ExitCode.FAILURE,
      { cause: error },
    );
  }
}

function verifyOne(verifier: BlockVerifier, commits: CommitHashChain, served: PeerBlock, tally: Tally): void {
  const result = verifier.check(served.block);
  if (!result.ok)
    throw new CliError(
      `block ${served.number} does not verify: ${result.error.check}: ${result.error.reason}`,
    );
  const { verified } = result;
  if (served.codes.length !== verified.txIds.length) {
    throw new CliError(
      `block ${served.number}: the peer gives ${served.codes.length} codes for ${verified.txIds.length} transactions`,
    );
  }
  let codes;
  try {
    codes = codesByTxId(verified.txIds, served.codes);
  } catch (error) {
    throw new CliError(`block ${served.number}: ${(error as Error).message}`, ExitCode.FAILURE, {
      cause: error,
    });
  }
  checkCommit(commits, served.number, verified.blockHash, codes, served.commitHash);
  tally.transactions += verified.txIds.length;
  tally.badEnvelopeSignatures += verified.envelopes?.filter((e) => !e.signaturesOk).length ?? 0;
}

function checkCommit(
  commits: CommitHashChain,
  number: number,
  blockHash: Hex,
  codes: ReturnType<typeof codesByTxId>,
  served: Hex,
): void {
  const ours = commits.add(number, blockHash, codes);
  if (ours !== served) {
    throw new CliError(
      `block ${number}: the peer reports commit hash ${served}, its codes and the chain give ${ours}`,
    );
  }
}
