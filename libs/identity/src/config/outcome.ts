import { ParseError, ValidationCode, type Envelope, type Rfc3339 } from '@civic/protocol';
import { explainPolicy } from '../policy/evaluate.js';
import type { Identity } from '../msp/resolve.js';
import { Role } from '../roles.js';
import { configFromEnvelope, ConfigTransactionError, signersOf } from './transaction.js';
import { configUpdateIssues } from './update.js';
import { applicationOrgs, type ChannelConfig } from './types.js';

/**
 * Whether a config transaction is valid and takes effect: ONE rule for every node that must
 * agree on the config in force. Peers (libs/ledger) give config transactions their code with
 * it; orderers (services/orderer) decide with it which block becomes the config block that
 * later blocks name in `metadata.configNumber`, and refuse updates at intake. Were the two to
 * differ, the orderers would name a config block the peers marked invalid (or the reverse) and
 * every peer would halt on the next block's `configNumber`.
 *
 * Pure and deterministic: the time is the block's (or, at intake, the orderer's clock, passed
 * in), never read here.
 */

/** Which check refused a config transaction (intake maps some of them to its own codes). */
export const ConfigCheckStep = {
  /** The envelope does not carry a readable, valid config of its channel (MALFORMED, INVALID_CONFIG). */
  CONFIG: 'config',
  /** The creator or an endorser is unknown, expired or revoked, or its signature does not verify. */
  SIGNERS: 'signers',
  /** The new config may not follow the one in force: channel, sequence, consenters (INVALID_CONFIG). */
  UPDATE_RULES: 'update-rules',
  /** Creator plus endorsers do not satisfy the `admins` policy of the config in force (INVALID_CONFIG). */
  ADMINS: 'admins',
  /** The update does not read the config key at its current version (MVCC_READ_CONFLICT). */
  READ_VERSION: 'read-version',
  /** The genesis transaction: sequence 0, read version null, created by an admin (INVALID_CONFIG). */
  GENESIS: 'genesis',
} as const;
export type ConfigCheckStep = (typeof ConfigCheckStep)[keyof typeof ConfigCheckStep];

export type ConfigTransactionOutcome =
  | {
      readonly valid: true;
      /** The config the transaction puts in force from the next block. */
      readonly config: ChannelConfig;
      /** Creator first, then the endorsers, resolved at the block's time. */
      readonly signers: readonly Identity[];
    }
  | {
      readonly valid: false;
      /** The contract's validation code a peer gives the transaction. */
      readonly code: ValidationCode;
      readonly reason: string;
      readonly step: ConfigCheckStep;
    };

function refused(step: ConfigCheckStep, code: ValidationCode, reason: string): ConfigTransactionOutcome {
  return { valid: false, code, reason, step };
}

/** The config an envelope carries, or why it carries none (MALFORMED when it is not an envelope). */
function carriedConfig(envelope: Envelope): ChannelConfig | ConfigTransactionOutcome {
  try {
    return configFromEnvelope(envelope);
  } catch (error) {
    if (!(error instanceof ConfigTransactionError)) throw error;
    const malformed = error.cause instanceof ParseError;
    return refused(
      ConfigCheckStep.CONFIG,
      malformed ? ValidationCode.MALFORMED : ValidationCode.INVALID_CONFIG,
      error.message,
    );
  }
}

function isOutcome(value: ChannelConfig | ConfigTransactionOutcome): value is ConfigTransactionOutcome {
  return 'valid' in value;
}

/**
 * Whether a config update is valid against the config in force and takes effect from the next
 * block. In this order, the first failure decides:
 *
 * 1. the envelope carries a valid config of the payload's channel (MALFORMED / INVALID_CONFIG);
 * 2. creator and endorsers are members valid at `atTime` and their signatures verify
 *    (UNKNOWN_IDENTITY / EXPIRED_IDENTITY / BAD_SIGNATURE);
 * 3. the update rules (configUpdateIssues: channel kept, sequence + 1, one consenter changed at
 *    most, a quorum kept) (INVALID_CONFIG);
 * 4. creator plus endorsers satisfy the current config's `admins` policy (INVALID_CONFIG: the
 *    admins policy is the config namespace's writers and endorsement policy at once);
 * 5. the update reads the config key at `currentVersion`, its version now (MVCC_READ_CONFLICT).
 *
 * `currentVersion` is the config key's version where the transaction is validated: protocol's
 * `configVersion(configNumber)` for a block cut under the config of block `configNumber` (a
 * peer passes the version its state holds, which is the same for every block an orderer cuts).
 */
export function configTransactionOutcome(
  current: ChannelConfig,
  currentVersion: string | null,
  envelope: Envelope,
  atTime: Rfc3339 | number,
): ConfigTransactionOutcome {
  const next = carriedConfig(envelope);
  if (isOutcome(next)) return next;
  const signed = signersOf(current, envelope, atTime);
  if (!signed.ok) return refused(ConfigCheckStep.SIGNERS, signed.code, signed.reason);
  const issues = configUpdateIssues(current, next);
  if (issues.length > 0) {
    return refused(
      ConfigCheckStep.UPDATE_RULES,
      ValidationCode.INVALID_CONFIG,
      issues.map((i) => `${i.path}: ${i.message}`).join('; '),
    );
  }
  const admins = explainPolicy(current.policies.admins, signed.signers, {
    applicationOrgs: applicationOrgs(current),
  });
  if (!admins.satisfied) {
    return refused(ConfigCheckStep.ADMINS, ValidationCode.INVALID_CONFIG, `admins ${admins.reason}`);
  }
  const read = envelope.payload.reads[0]?.version ?? null;
  if (read !== currentVersion) {
    return refused(
      ConfigCheckStep.READ_VERSION,
      ValidationCode.MVCC_READ_CONFLICT,
      `the update reads the config at version ${String(read)}; the config in force is at ${String(currentVersion)}`,
    );
  }
  return { valid: true, config: next, signers: signed.signers };
}

/**
 * Whether the genesis block's config transaction is valid: there is no config in force yet, so
 * its own config judges it. It carries a valid config with sequence 0, reads the config key at
 * version null, and is created by an admin of that config, valid at `atTime` (the genesis
 * block's time), whose signature (and any endorser's) verifies. Nothing else is asked: no
 * policy names the admins before the genesis config does.
 */
export function genesisTransactionOutcome(
  envelope: Envelope,
  atTime: Rfc3339 | number,
): ConfigTransactionOutcome {
  const config = carriedConfig(envelope);
  if (isOutcome(config)) return config;
  const signed = signersOf(config, envelope, atTime);
  if (!signed.ok) return refused(ConfigCheckStep.SIGNERS, signed.code, signed.reason);
  const creator = signed.signers[0] as Identity;
  if (config.sequence !== 0) {
    return refused(
      ConfigCheckStep.GENESIS,
      ValidationCode.INVALID_CONFIG,
      `the genesis config has sequence ${config.sequence}, not 0`,
    );
  }
  if (envelope.payload.reads[0]?.version !== null) {
    return refused(
      ConfigCheckStep.GENESIS,
      ValidationCode.INVALID_CONFIG,
      'the genesis transaction reads the config at a version; it must read null',
    );
  }
  if (creator.role !== Role.ADMIN) {
    return refused(
      ConfigCheckStep.GENESIS,
      ValidationCode.INVALID_CONFIG,
      `the genesis creator ${creator.subject} is not an admin`,
    );
  }
  return { valid: true, config, signers: signed.signers };
}
