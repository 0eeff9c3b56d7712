import { Controller, Get, Header, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { OrdererMetrics } from '../metrics.js';
import type { OrdererStatus } from '../node/orderer-node.js';
import { OrdererService } from './orderer.service.js';

/**
 * Operations endpoints: `/healthz` (the process runs its node), `/readyz` (it knows a leader
 * and has applied everything it knows committed: 503 otherwise), `/metrics` (Prometheus) and
 * `/status` (JSON: role, term, leader, height, indexes, queues).
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(OrdererService) private readonly orderer: OrdererService,
    @Inject(OrdererMetrics) private readonly metrics: OrdererMetrics,
  ) {}

  @Get('healthz')
  healthz(): { status: string } {
    if (!this.orderer.live) throw new HttpException({ status: 'starting' }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok' };
  }

  @Get('readyz')
  readyz(): { status: string } {
    if (!this.orderer.ready) throw new HttpException({ status: 'not ready' }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready' };
  }

  @Get('status')
  status(): OrdererStatus {
    const status = this.orderer.status();
    if (status === null) throw new HttpException({ status: 'starting' }, HttpStatus.SERVICE_UNAVAILABLE);
    return status;
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
