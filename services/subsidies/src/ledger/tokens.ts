/** Injection tokens of the subsidies service's providers. */
export const SERVICE_CONFIG = Symbol.for('civic.subsidies.config');
export const GATEWAY = Symbol.for('civic.subsidies.gateway');
export const PRIVATE_STORE = Symbol.for('civic.subsidies.private-store');
export const METRICS = Symbol.for('civic.subsidies.metrics');
export const LOGGER = Symbol.for('civic.subsidies.logger');
export const CLOCK = Symbol.for('civic.subsidies.clock');
