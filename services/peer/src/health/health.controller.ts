import { Controller, Get, Inject, Post, Res, UseGuards } from '@nestjs/common';
import { ReadersGuard } from '../auth/readers.guard.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { PeerMetrics } from '../observability/metrics.js';
import { OPENAPI_DOCUMENT } from '../query/openapi.js';
import type { FastifyReply } from '../query/query.controller.js';
import { PeerStatus } from '../status/peer-status.js';
import { PEER_METRICS } from '../tokens.js';

/**
 * Operations: /healthz (the process answers; alarms in the body), /readyz (200 once caught up
 * and audited, 503 with the reasons otherwise: halted on a bad block, fork alarm, catching up),
 * /metrics (Prometheus), /openapi.json — open to anyone, as probes and scrapers need — and
 * POST /audit (re-verify the stored chain now), for readers of the channel only.
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(PEER_METRICS) private readonly metrics: PeerMetrics,
    private readonly status: PeerStatus,
    private readonly ledgerService: LedgerService,
  ) {}

  @Get('healthz')
  healthz(): unknown {
    return {
      status: 'alive',
      phase: this.status.phase,
      height: this.#height(),
      halted: this.status.halted,
      forkAlarms: [...this.status.forkAlarms.values()],
      audit: this.status.lastAudit
        ? {
            ok: this.status.lastAudit.ok,
            height: this.status.lastAudit.height,
            problems: this.status.lastAudit.problems.slice(0, 10),
          }
        : null,
    };
  }

  @Get('readyz')
  readyz(@Res() reply: FastifyReply): void {
    const { ready, reasons } = this.status.readiness();
    void reply
      .status(ready ? 200 : 503)
      .send({ ready, phase: this.status.phase, height: this.#height(), reasons });
  }

  @Get('metrics')
  async metricsText(@Res() reply: FastifyReply): Promise<void> {
    void reply
      .header('content-type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }

  @Get('openapi.json')
  openapi(): unknown {
    return OPENAPI_DOCUMENT;
  }

  @Post('audit')
  @UseGuards(ReadersGuard)
  async audit(): Promise<unknown> {
    return this.ledgerService.audit();
  }

  #height(): number | null {
    try {
      return this.ledgerService.ledger.height;
    } catch {
      return null;
    }
  }
}
