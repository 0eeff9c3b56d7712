/**
 * @civic/gateway: what a domain service needs to take part in the ledger. Read state from the
 * own peer, build a transaction, collect endorsements, submit, await the commit code
 * (Gateway); serve the organisation's endorsements (Gateway.serveEndorsements); authenticate
 * REST callers with certificate-bound tokens (auth/: identity's tokens, re-exported, and the
 * route rules). See docs/gateway.md.
 */
export * from './tx-context.js';
export * from './errors.js';
export * from './logic.js';
export * from './recording-context.js';
export * from './peer.js';
export * from './nats-peer-client.js';
export * from './config-source.js';
export * from './endorsement-plan.js';
export * from './endorsement-wire.js';
export * from './endorse-client.js';
export * from './endorser.js';
export * from './commit-watcher.js';
export * from './submit.js';
export * from './options.js';
export * from './gateway.js';
export * from './auth/token.js';
export * from './auth/access.js';
