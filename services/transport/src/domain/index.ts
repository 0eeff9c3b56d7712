/**
 * The transport domain: RDW's driver-card register, companies' uploads of tachograph records,
 * the engine's findings, inspections and the access log, as pure rules over plain records and
 * transaction functions over `TxContext`. No I/O, no clock: times come from `ctx.txTime` or from
 * arguments. docs/transport.md describes the state model and each rule.
 */
export * from './errors.js';
export * from './organisations.js';
export * from './card-number.js';
export * from './months.js';
export * from './records.js';
export * from './upload.js';
export * from './window.js';
export * from './compliance.js';
export * from './views.js';
export * from './prepare.js';
export * from './actions.js';
export { issueCard, updateCard, type IssueCardInput, type UpdateCardInput } from './tx/cards.js';
export {
  uploadRecords,
  parseSalt,
  type ContextUpload,
  type MonthFindings,
  type UploadRecordsInput,
  type UploadResult,
} from './tx/upload.js';
export { recordCheck, parseOfficer, parsePeriod, type RecordCheckInput } from './tx/inspection.js';
export {
  recordAccess,
  type AccessToRecord,
  type RecordAccessInput,
  type RecordAccessResult,
} from './tx/access.js';
export { parseInstant } from './input.js';
