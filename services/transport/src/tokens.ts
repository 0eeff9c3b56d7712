/** Injection tokens of the transport service's own providers (the kit's are in @civic/service-kit). */
export const SIGNER = Symbol.for('civic.transport.signer');
export const SHARE_CLIENT = Symbol.for('civic.transport.share-client');
