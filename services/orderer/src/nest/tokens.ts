/** Injection tokens of the orderer's Nest application. */
export const ORDERER_SETTINGS = Symbol.for('civic.orderer.settings');
export const ORDERER_LOGGER = Symbol.for('civic.orderer.logger');
