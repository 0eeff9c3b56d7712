import { cpus } from 'node:os';
import { auditChain, openLedgerStore, VerifierPool, type AuditReport } from '@civic/ledger';

export interface RunAuditOptions {
  readonly channel: string;
  /** PostgreSQL; when absent, the PGlite folder `dataDir` (the peer must be stopped: PGlite is single-process). */
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  /** Hash block 0 must have (the genesis file's). */
  readonly genesisHash?: string;
  /** Signature threads; default the cores. */
  readonly workers?: number;
  readonly onProgress?: (progress: { block: number; height: number }) => void;
}

/**
 * The audit of a peer's stored chain, outside the peer (`civic peer audit`): re-verifies every
 * block from genesis and rebuilds state and history to compare with the tables. Reads only.
 */
export async function runAudit(options: RunAuditOptions): Promise<AuditReport> {
  if (!options.databaseUrl && !options.dataDir)
    throw new TypeError('runAudit: databaseUrl or dataDir is needed');
  const store = await openLedgerStore({
    channel: options.channel,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: options.dataDir }),
  });
  const workers = options.workers ?? cpus().length;
  const verifier = workers > 0 ? new VerifierPool({ workers }) : undefined;
  try {
    return await auditChain(store, {
      channel: options.channel,
      ...(options.genesisHash ? { genesisHash: options.genesisHash } : {}),
      ...(verifier ? { verifier } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } finally {
    await verifier?.close();
    await store.close();
  }
}
