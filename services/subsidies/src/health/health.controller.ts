/**
 * Operations endpoints, without authentication: `/healthz` (the process serves), `/readyz` (its
 * peer answers with a committed config, its private store answers: 503 otherwise), `/metrics`
 * (Prometheus) and `/openapi.json` (the REST API's description).
 */
import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { Gateway } from '@civic/gateway';
import { Access } from '../auth/access.decorator.js';
import { ApiError } from '../http/api-error.js';
import { openApiDocument } from '../http/openapi.js';
import { GATEWAY, METRICS, PRIVATE_STORE } from '../ledger/tokens.js';
import type { SubsidiesMetrics } from '../observability/metrics.js';
import type { PrivateStore } from '../private/private-store.js';

@Controller()
@Access('public')
export class HealthController {
  constructor(
    @Inject(GATEWAY) private readonly gateway: Gateway,
    @Inject(METRICS) private readonly metrics: SubsidiesMetrics,
    @Inject(PRIVATE_STORE) private readonly privateStore: PrivateStore,
  ) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<{ status: string; peer: string; height: number; privateStore: string }> {
    try {
      const height = await this.gateway.watcher.refreshHeight();
      await this.gateway.config.current();
      await this.privateStore.ping();
      return {
        status: 'ready',
        peer: this.gateway.peer.peerId,
        height,
        privateStore: this.privateStore.kind,
      };
    } catch (error) {
      throw new ApiError(503, { code: 'NOT_READY', message: (error as Error).message });
    }
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  @Get('openapi.json')
  openapi(): unknown {
    return openApiDocument;
  }
}
