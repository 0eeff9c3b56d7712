/**
 * @civic/transport: the transport domain service (docs/transport.md) and its compliance engine
 * for Regulation (EC) No 561/2006 (docs/transport-rules.md).
 */
export * from './rules/index.js';
export * from './domain/index.js';
export { createTransportApp, roleOf, type CreateTransportAppOptions, type TransportApp } from './app.js';
export { loadTransportConfig, type TransportConfig } from './config/transport-config.js';
export { mintDriverToken, verifyDriverToken, driverCardOf, DRIVER_KID_PREFIX } from './auth/driver-token.js';
export { signTicket, verifyTicket, accessIdOf, type Ticket, type TicketBody } from './sharing/ticket.js';
export { shareSubject } from './sharing/share-wire.js';
