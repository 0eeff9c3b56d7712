/**
 * The EU driving and rest time compliance engine (Regulation (EC) No 561/2006 as amended by
 * Regulation (EU) 2020/1054; classes from Annex III of Directive 2006/22/EC as amended by
 * Regulation (EU) 2016/403). Pure: no I/O, no clock; every time is an input.
 * Rules and interpretations: docs/transport-rules.md.
 */
export { checkCompliance, evaluateCompliance } from './engine.js';
export {
  validateActivities,
  validateComplianceRequest,
  sortActivities,
  type ValidationOptions,
  type ValidationResult,
} from './validate.js';
export {
  ComplianceInputError,
  FutureActivityError,
  InputErrorCode,
  InputTooLargeError,
  InvalidComplianceRequestError,
  InvalidTimestampError,
  MalformedInputError,
  NonPositiveDurationError,
  OverlappingActivitiesError,
  UnsortedInputError,
  type PeriodRef,
} from './errors.js';
export { Limits, type ValidatedRequest } from './model.js';
export * from './types.js';
