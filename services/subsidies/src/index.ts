/** The subsidies service: the application factory (main.ts runs it) and its settings. */
export { createSubsidiesApp, PRIVATE_TABLE, type CreateAppOptions, type SubsidiesApp } from './app.js';
export {
  loadSubsidiesConfig,
  SUBSIDIES_HTTP_PORT,
  SUBSIDIES_SERVICE,
  type SubsidiesConfig,
} from './config.js';
export { subsidiesErrors, ruleStatus, violationError } from './http/errors.js';
export { openApiDocument } from './http/openapi.js';
export { CREATOR_LOGIC, subsidiesLogicFor } from './ledger/endorsement-logic.js';
