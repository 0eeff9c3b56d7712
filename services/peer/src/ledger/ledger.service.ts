import { Inject, Injectable } from '@nestjs/common';
import {
  auditChain,
  Ledger,
  openLedgerStore,
  VerifierPool,
  type AuditReport,
  type LedgerStore,
  type SignatureVerifier,
} from '@civic/ledger';
import type { ChannelConfig } from '@civic/identity';
import type { PeerConfig } from '../config/peer-config.js';
import type { PeerIdentity } from '../identity/peer-identity.js';
import type { Logger } from '../observability/logger.js';
import type { PeerMetrics } from '../observability/metrics.js';
import { PeerPhase, PeerStatus } from '../status/peer-status.js';
import { PEER_CONFIG, PEER_IDENTITY, PEER_LOGGER, PEER_METRICS } from '../tokens.js';

export class AuditFailedError extends Error {
  override readonly name = 'AuditFailedError';
  constructor(readonly report: AuditReport) {
    const first = report.problems[0];
    super(
      `the stored chain fails its audit (${report.problems.length} problem(s)); first: ` +
        (first ? `block ${first.block ?? '?'}: ${first.kind} ${first.detail}` : 'none'),
    );
  }
}

/**
 * Opens the store (PostgreSQL or PGlite), audits the stored chain (a peer refuses to start on
 * a chain that fails its audit, naming the block), and opens the ledger at the stored head.
 * Owns the store and the signature worker pool; closes them last.
 */
@Injectable()
export class LedgerService {
  #store: LedgerStore | undefined;
  #ledger: Ledger | undefined;
  #verifier: SignatureVerifier | undefined;

  constructor(
    @Inject(PEER_CONFIG) private readonly config: PeerConfig,
    @Inject(PEER_IDENTITY) private readonly identity: PeerIdentity,
    @Inject(PEER_LOGGER) private readonly logger: Logger,
    @Inject(PEER_METRICS) private readonly metrics: PeerMetrics,
    private readonly status: PeerStatus,
  ) {}

  get ledger(): Ledger {
    if (!this.#ledger) throw new Error('ledger not open yet');
    return this.#ledger;
  }

  get store(): LedgerStore {
    if (!this.#store) throw new Error('store not open yet');
    return this.#store;
  }

  /** The channel config in force after the last commit; null before block 0 (or before open). */
  configInForce(): ChannelConfig | null {
    return this.#ledger?.chain.config ?? null;
  }

  get verifier(): SignatureVerifier | undefined {
    return this.#verifier;
  }

  /** Called by the bootstrap before the transports start. */
  async open(): Promise<void> {
    const { config } = this;
    this.#store = await openLedgerStore({
      channel: config.channel,
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
    });
    this.logger.info(
      { engine: this.#store.engine, dataDir: config.databaseUrl ? undefined : config.dataDir },
      'store open',
    );
    if (config.verifyWorkers > 0) this.#verifier = new VerifierPool({ workers: config.verifyWorkers });
    if (config.auditOnStart === 'full') {
      const report = await this.audit();
      if (!report.ok) throw new AuditFailedError(report);
    }
    this.#ledger = await Ledger.open({
      store: this.#store,
      channel: config.channel,
      ...(this.identity.genesisHash ? { genesisHash: this.identity.genesisHash } : {}),
      ...(this.#verifier ? { verifier: this.#verifier } : {}),
    });
    this.metrics.height.set(this.#ledger.height);
    this.metrics.publishedHeight.set(this.#ledger.head.publishedHeight);
    this.logger.info(
      { height: this.#ledger.height, commitHash: this.#ledger.head.commitHash },
      'ledger open',
    );
  }

  /** Re-verifies the stored chain (on start, and on demand through POST /audit). */
  async audit(onProgress?: (progress: { block: number; height: number }) => void): Promise<AuditReport> {
    const previous = this.status.phase;
    if (previous === PeerPhase.STARTING) this.status.phase = PeerPhase.AUDITING;
    const started = performance.now();
    let lastLogged = 0;
    const report = await auditChain(this.store, {
      channel: this.config.channel,
      ...(this.identity.genesisHash ? { genesisHash: this.identity.genesisHash } : {}),
      ...(this.#verifier ? { verifier: this.#verifier } : {}),
      onProgress: (progress) => {
        onProgress?.(progress);
        if (performance.now() - lastLogged > 5000) {
          lastLogged = performance.now();
          this.logger.info(progress, 'audit progress');
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    this.status.lastAudit = report;
    this.metrics.auditOk.set(report.ok ? 1 : 0);
    this.metrics.auditSeconds.set(seconds);
    if (previous === PeerPhase.STARTING) this.status.phase = previous;
    if (report.ok) {
      this.logger.info({ height: report.height, blocks: report.blocksChecked, seconds }, 'audit passed');
    } else {
      for (const problem of report.problems)
        this.logger.error({ audit: problem }, `audit: block ${problem.block ?? '?'}: ${problem.detail}`);
    }
    return report;
  }

  async close(): Promise<void> {
    await this.#verifier?.close();
    await this.#store?.close();
    this.#verifier = undefined;
    this.#store = undefined;
  }
}
