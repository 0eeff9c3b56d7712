export { loadPeerConfig, PeerConfigError, type PeerConfig } from './config/peer-config.js';
export { loadPeerIdentity, PeerIdentityError, type PeerIdentity } from './identity/peer-identity.js';
export { startPeer, type RunningPeer, type StartPeerOptions } from './start-peer.js';
export { runAudit, type RunAuditOptions } from './audit/run-audit.js';
export { PeerStatus, PeerPhase, type ForkAlarm } from './status/peer-status.js';
export { OPENAPI_DOCUMENT } from './query/openapi.js';
