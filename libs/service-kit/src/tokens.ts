/**
 * Injection tokens of the providers every domain service has (DomainServiceModule provides them).
 * Symbols from the global registry, so a service and the kit agree on them across bundles.
 */
export const SERVICE_CONFIG = Symbol.for('civic.service-kit.config');
export const GATEWAY = Symbol.for('civic.service-kit.gateway');
export const CONFIG_SOURCE = Symbol.for('civic.service-kit.config-source');
export const PRIVATE_STORE = Symbol.for('civic.service-kit.private-store');
export const METRICS = Symbol.for('civic.service-kit.metrics');
export const LOGGER = Symbol.for('civic.service-kit.logger');
export const CLOCK = Symbol.for('civic.service-kit.clock');
export const AUTH_OPTIONS = Symbol.for('civic.service-kit.auth-options');
export const READINESS_CHECKS = Symbol.for('civic.service-kit.readiness-checks');
export const OPENAPI_DOCUMENT = Symbol.for('civic.service-kit.openapi-document');
