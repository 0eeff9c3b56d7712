/** Injection tokens of the peer's Nest providers. */
export const PEER_CONFIG = Symbol.for('civic.peer.config');
export const PEER_LOGGER = Symbol.for('civic.peer.logger');
export const PEER_METRICS = Symbol.for('civic.peer.metrics');
export const PEER_IDENTITY = Symbol.for('civic.peer.identity');
