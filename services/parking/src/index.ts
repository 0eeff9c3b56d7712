/**
 * The parking service: the application factory (main.ts runs it), its settings, the endorsement
 * logic and the domain (rules, records, checks: ./domain).
 */
export { createParkingApp, type CreateParkingAppOptions, type ParkingApp } from './app.js';
export {
  loadParkingConfig,
  type ParkingConfig,
  type CheckLogSettings,
  PARKING_SERVICE,
} from './config/parking-config.js';
export { openApiDocument } from './http/openapi.js';
export { parkingLogicFor, parkingLogic } from './ledger/parking-logic.js';
export { HOLDER_AUDIENCE, mintHolderToken } from './auth/holder-token.js';
export type { ProofSource, RecordProof } from './ledger/record-proofs.js';
export type { CheckAnswer } from './checks/roadside-checks.service.js';
export * from './domain/index.js';
