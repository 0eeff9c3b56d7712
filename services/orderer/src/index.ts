/**
 * @civic/orderer: the ordering service (docs/orderer.md). The process is `dist/main.js`;
 * this is what other packages and tests may use: submit codes, the `.deliver` client and
 * protocol, the pure parts (intake checks, block cutter, chain state) and the node itself.
 */
// The submit codes are the contract's (@civic/protocol); re-exported for the orderer's users.
export { SubmitCode, RETRYABLE_SUBMIT_CODES, isRetryableSubmitCode } from '@civic/protocol';
export { accepted, rejected, type Rejection } from './codes.js';
export * from './errors.js';
export {
  checkSubmission,
  type CheckedEnvelope,
  type IntakeContext,
  type IntakeVerdict,
} from './intake/check-envelope.js';
export { TxIdWindow, type TxIdWindowOptions } from './intake/txid-window.js';
export { BlockCutter, type BatchLimits, type Cuttable } from './cutter/block-cutter.js';
export { assembleSignedBlock, type AssembledBlock, type BlockDraft } from './chain/assemble.js';
export {
  decideBlock,
  decideEntry,
  configAfter,
  genesisState,
  stateAfterTip,
  type ChainState,
  type EntryDecision,
} from './chain/chain-state.js';
export { encodeSnapshotData, decodeSnapshotData, SnapshotDataError } from './chain/snapshot-data.js';
export { BlockStore, type BlockStoreOpenResult } from './storage/block-store.js';
export { Wal, type WalOpenResult } from './storage/wal.js';
export { WalRecordType, type WalRecord } from './storage/wal-records.js';
export { DiskRaftStorage, type RaftBootstrap, type RaftStorageOpenResult } from './storage/raft-storage.js';
export {
  OrdererNode,
  type OrdererNodeConfig,
  type OrdererNodeDeps,
  type OrdererStatus,
} from './node/orderer-node.js';
export { OrdererMetrics } from './metrics.js';
export { parseOrdererOptions, ORDERER_DEFAULTS, type OrdererProcessOptions } from './options.js';
