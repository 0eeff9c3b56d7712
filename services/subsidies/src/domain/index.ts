/**
 * The subsidies domain: state model, business rules and transaction logic, pure over TxContext.
 * docs/subsidies.md describes the keys, the rules and the reading of the regulations.
 */
export * from './actions.js';
export * from './ceilings.js';
export { addYears, dateOf, isIsoDate, isRfc3339, nextDay } from './dates.js';
export * from './deminimis.js';
export * from './endorsement.js';
export * from './errors.js';
export * from './grants.js';
export * from './group.js';
export * from './keys.js';
export * from './limits.js';
export * from './payments.js';
export * from './records.js';
export * from './scheme-rules.js';
export * from './schemes.js';
export * from './split.js';
export * from './undertakings.js';
export * as validate from './validate.js';
export { BASIS_POINTS_100_PERCENT } from './validate.js';
export * from './views.js';
export * from './violations.js';
