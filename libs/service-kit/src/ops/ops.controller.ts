/**
 * Operations endpoints, without authentication: `/healthz` (the process serves), `/readyz`
 * (every injected readiness check passes, else 503 naming the failing ones), `/metrics`
 * (Prometheus) and `/openapi.json` (the REST API's description).
 */
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Access } from '../auth/access.js';
import { ApiError } from '../http/api-error.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { METRICS, OPENAPI_DOCUMENT, READINESS_CHECKS } from '../tokens.js';
import { runReadiness, type ReadinessCheck } from './readiness.js';

@Controller()
@Access('public')
export class OpsController {
  constructor(
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
    @Inject(READINESS_CHECKS) private readonly checks: readonly ReadinessCheck[],
    @Inject(OPENAPI_DOCUMENT) private readonly openApi: unknown,
  ) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<{ status: 'ready'; checks: Record<string, unknown> }> {
    const result = await runReadiness(this.checks);
    if (!result.ready) {
      const failing = Object.entries(result.checks)
        .filter(([, r]) => !r.ok)
        .map(([name, r]) => `${name}: ${String(r.detail)}`);
      throw new ApiError(503, { code: 'NOT_READY', message: failing.join('; '), checks: result.checks });
    }
    return {
      status: 'ready',
      checks: Object.fromEntries(Object.entries(result.checks).map(([name, r]) => [name, r.detail])),
    };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  @Get('openapi.json')
  openapi(): unknown {
    return this.openApi;
  }
}
