/**
 * @civic/service-kit: the NestJS plumbing every domain service shares (docs/service-kit.md):
 * settings from the environment, certificate-bound token authentication and access rules, one
 * error shape, ops endpoints, logs and metrics, the private store and salted hashes, the
 * organisation's Gateway, and the bootstrap of the fastify application.
 */
export * from './tokens.js';
export * from './config/env-reader.js';
export * from './config/service-env.js';
export * from './auth/access.js';
export * from './auth/token-verifier.js';
export * from './auth/auth.guard.js';
export * from './auth/caller.decorator.js';
export * from './http/api-error.js';
export * from './http/error-mapping.js';
export * from './http/rule-errors.js';
export * from './http/error.filter.js';
export * from './http/openapi.js';
export * from './http/min-block.interceptor.js';
export * from './ops/readiness.js';
export * from './ops/ops.controller.js';
export * from './observability/logger.js';
export * from './observability/metrics.js';
export * from './private/private-store.js';
export * from './private/memory-private-store.js';
export * from './private/pg-private-store.js';
export * from './private/salted-hash.js';
export * from './ledger/gateway-factory.js';
export * from './ledger/submit-measured.js';
export * from './ledger/batch-queue.js';
export * from './ledger/namespace-ledger.js';
export * from './ledger/ledger-batch-log.js';
export * from './ledger/min-block.js';
export * from './app/domain-service.module.js';
export * from './app/bootstrap.js';
export * from './app/domain-app.js';
