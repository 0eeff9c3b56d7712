/** The subsidies service: the application factory (main.ts runs it) and its settings. */
export { createSubsidiesApp, type CreateAppOptions, type SubsidiesApp } from './app.js';
export { loadServiceConfig, ServiceConfigError, type ServiceConfig } from './config/service-config.js';
export { SUBSIDIES_AUDIENCE } from './auth/auth.guard.js';
export { openApiDocument } from './http/openapi.js';
export { subsidiesLogicFor } from './ledger/endorsement-logic.js';
