/**
 * The parking domain: disabled parking cards (GPK), reserved places (GPP), medical assessments
 * and roadside checks, as pure rules over plain records and transaction functions over
 * `TxContext`. No I/O, no clock: times come from `ctx.txTime` or from arguments.
 * docs/parking.md describes the rules, their sources and the state model.
 */
export * from './errors.js';
export * from './organisations.js';
export * from './dates.js';
export * from './plate.js';
export * from './card-number.js';
export * from './privacy.js';
export * from './private-store.js';
export * from './criteria.js';
export * from './records.js';
export * from './input.js';
export * from './check.js';
export * from './holder-view.js';
export { registerHolder, reportDeath, recordMove, recordErasure } from './tx/holder.js';
export type {
  RegisterHolderInput,
  ReportDeathInput,
  RecordMoveInput,
  RecordErasureInput,
} from './tx/holder.js';
export { recordAssessment } from './tx/assessment.js';
export {
  issueCard,
  issueDuplicate,
  revokeCard,
  scopeCovers,
  cardValidUntil,
  placeAllowed,
  CARD_VALIDITY_YEARS_MAX,
} from './tx/card.js';
export type { IssueCardInput, IssueDuplicateInput, RevokeCardInput } from './tx/card.js';
export { assignReservedPlace, endReservedPlace } from './tx/place.js';
export type { AssignReservedPlaceInput, EndReservedPlaceInput } from './tx/place.js';
export { recordChecks } from './tx/checks.js';
export type { CheckToRecord, RecordChecksInput, RecordChecksResult } from './tx/checks.js';
export * from './actions.js';
