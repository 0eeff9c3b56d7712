/**
 * What the inspection commands (status, blocks tail, tx, verify, proof check) share: the dev
 * network manifest as the source of default endpoints and of trust (the genesis block, the
 * peers' certificates), the exact config rule of the peers, and client errors as CLI errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  BlockVerifier,
  ClientError,
  PeerRequestError,
  type BlockVerifierOptions,
  type ConfigDecision,
  type PeerKey,
  type PeerToken,
} from '@civic/client';
import {
  certificateFromPem,
  configTransactionOutcome,
  loadNetwork,
  loadSigner,
  NetworkFileError,
  PEER_TOKEN_AUDIENCE,
  readGenesisBytes,
  tokenSource,
  type ChannelConfig,
  type LoadedNetwork,
} from '@civic/identity';
import { configVersion } from '@civic/protocol';
import { CliError, ExitCode } from '../output.js';

/** The host the manifest's ports are on (the dev network runs on one machine). */
export const DEFAULT_HOST = '127.0.0.1';

export function openNetwork(dir: string): LoadedNetwork {
  try {
    return loadNetwork(dir);
  } catch (error) {
    if (error instanceof NetworkFileError)
      throw new CliError(`--network ${dir}: ${error.message}`, ExitCode.FAILURE, { cause: error });
    throw error;
  }
}

export function genesisBytesOf(network: LoadedNetwork): Uint8Array {
  try {
    return readGenesisBytes(network);
  } catch (cause) {
    throw new CliError(
      `--network ${network.dir}: cannot read the genesis block: ${(cause as Error).message}`,
      ExitCode.FAILURE,
      { cause },
    );
  }
}

/** Config updates decided exactly as peers and orderers do (identity's configTransactionOutcome). */
export const decideConfig: ConfigDecision = ({ current, block }) => {
  const envelope = block.envelopes[0];
  return (
    envelope !== undefined &&
    configTransactionOutcome(
      current.config as unknown as ChannelConfig,
      configVersion(current.number),
      envelope,
      block.header.time,
    ).valid
  );
};

export const verifierOptions: BlockVerifierOptions = { decideConfig };

/** A verifier at the network's genesis block (its trust anchor). */
export function genesisVerifier(network: LoadedNetwork): BlockVerifier {
  try {
    return BlockVerifier.fromGenesis(genesisBytesOf(network), verifierOptions);
  } catch (error) {
    throw new CliError(`--network ${network.dir}: ${(error as Error).message}`, ExitCode.FAILURE, {
      cause: error,
    });
  }
}

export function nodeUrl(host: string, port: number): string {
  return `http://${host}:${port}`;
}

/** The peer to ask: --peer URL, or the first peer of the network manifest. */
export function peerUrl(options: {
  readonly peer?: string;
  readonly network?: string;
  readonly host?: string;
}): string {
  if (options.peer !== undefined) return options.peer;
  if (options.network === undefined) throw new CliError('give --peer URL or --network DIR', ExitCode.USAGE);
  const first = openNetwork(options.network).peers[0];
  if (first === undefined) throw new CliError(`--network ${options.network} lists no peer`);
  return nodeUrl(options.host ?? DEFAULT_HOST, first.httpPort);
}

/** The manifest's peer whose port the URL names, if any. */
export function manifestPeerAt(
  network: LoadedNetwork,
  url: string,
): LoadedNetwork['peers'][number] | undefined {
  let port: number;
  try {
    port = Number(new URL(url).port);
  } catch {
    return undefined;
  }
  return network.peers.find((p) => p.httpPort === port);
}

/** The certificate (base64 DER) of a PEM file. */
export function certificateFile(path: string): string {
  try {
    return certificateFromPem(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CliError(`${path}: not a PEM certificate: ${(cause as Error).message}`, ExitCode.FAILURE, {
      cause,
    });
  }
}

/** The key of the peer at `url`, from --peer-cert or from the network manifest; null when unknown. */
export function peerKeyOf(
  options: { readonly peerCert?: string; readonly network?: string },
  url: string | null,
): { readonly key: PeerKey; readonly peerId: string | null } | null {
  if (options.peerCert !== undefined)
    return { key: { cert: certificateFile(options.peerCert) }, peerId: null };
  if (options.network === undefined || url === null) return null;
  const network = openNetwork(options.network);
  const peer = manifestPeerAt(network, url);
  const identity = peer && network.identities.find((id) => id.name === peer.identity);
  if (!peer || !identity) return null;
  return { key: { cert: certificateFile(join(network.dir, identity.cert)) }, peerId: peer.peerId };
}

/** Lifetime of the tokens the CLI mints for a peer (a fresh one every half of it). */
export const PEER_TOKEN_TTL_MS = 10 * 60_000;

/** What department users are called in network.json (`<msp>-user1`, …). */
const DEPARTMENT_USER = 'department user';

/**
 * The identity whose token reads from the peer at `url` by default: the first department user
 * of that peer's organisation (`utrecht-user1` for `utrecht-peer`), else the network's first.
 */
export function defaultReader(network: LoadedNetwork, url: string): string {
  const users = network.identities.filter((id) => id.role === 'client' && id.purpose === DEPARTMENT_USER);
  const peer = manifestPeerAt(network, url);
  const reader = users.find((id) => id.mspId === peer?.mspId) ?? users[0];
  if (reader === undefined)
    throw new CliError(`--network ${network.dir} has no department user to read with: pass --user NAME`);
  return reader.name;
}

/** Adds `--user` and `--token` (a peer's REST API wants a reader's token) to a command. */
export function withPeerAuth(command: Command): Command {
  return command
    .option(
      '--user <name>',
      "identity of --network whose tokens read from the peer (default: a department user of the peer's organisation, e.g. utrecht-user1)",
    )
    .option(
      '--token <token>',
      'a bearer token for the peer (audience peer: civic token --aud peer), instead of --user',
    );
}

/** How a command authenticates to a peer's REST API: --token, --user, or the network's default reader. */
export interface PeerAuthOptions {
  readonly network?: string;
  /** An identity of network.json whose tokens the command mints. */
  readonly user?: string;
  /** A token given as is (audience `peer`, e.g. `civic token --aud peer`). */
  readonly token?: string;
}

/**
 * The bearer token for the peer at `url` (docs/peer.md, "REST authentication"): `--token` as
 * given; with `--network`, tokens minted by `--user` (default {@link defaultReader}) for audience
 * `peer`, renewed as they age; otherwise none (a peer with PEER_REST_AUTH=off, or a stub).
 */
export function peerToken(options: PeerAuthOptions, url: string): PeerToken | undefined {
  if (options.token !== undefined) {
    if (options.user !== undefined) throw new CliError('give --token or --user, not both', ExitCode.USAGE);
    return options.token;
  }
  if (options.network === undefined) {
    if (options.user !== undefined) throw new CliError('--user needs --network DIR', ExitCode.USAGE);
    return undefined;
  }
  return readerTokens(openNetwork(options.network), url, options.user);
}

/** Tokens of `user` (default {@link defaultReader}) for the peer at `url`, renewed as they age. */
export function readerTokens(network: LoadedNetwork, url: string, user?: string): () => string {
  const name = user ?? defaultReader(network, url);
  try {
    const { cert, key } = loadSigner(network, name);
    return tokenSource({ cert, key, audience: PEER_TOKEN_AUDIENCE, ttlMs: PEER_TOKEN_TTL_MS });
  } catch (error) {
    if (error instanceof NetworkFileError)
      throw new CliError(`--user ${name}: ${error.message}`, ExitCode.FAILURE, { cause: error });
    throw error;
  }
}

/** Client errors (a peer that is down, answers nonsense, a bad document) as CLI errors. */
export function asCliError(error: unknown, what: string): never {
  if (error instanceof PeerRequestError && (error.status === 401 || error.status === 403)) {
    const hint =
      error.status === 401
        ? 'the peer wants a reader token: pass --network DIR (and --user NAME) or --token TOKEN'
        : "the identity is not among the channel's readers: pass another --user";
    throw new CliError(`${what}: ${error.message} (${hint})`, ExitCode.FAILURE, { cause: error });
  }
  if (error instanceof ClientError)
    throw new CliError(`${what}: ${error.message}`, ExitCode.FAILURE, { cause: error });
  throw error;
}
