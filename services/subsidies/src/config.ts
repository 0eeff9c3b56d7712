/**
 * The service's settings: the kit's common ones (docs/service-kit.md, "Settings"), nothing of
 * its own. Default port 3100; the development network gives RVO, Utrecht and Amsterdam 3101-3103.
 */
import { loadServiceEnv, type Env, type ServiceEnv } from '@civic/service-kit';

export const SUBSIDIES_SERVICE = 'subsidies';
export const SUBSIDIES_HTTP_PORT = 3100;

export type SubsidiesConfig = ServiceEnv;

export function loadSubsidiesConfig(env: Env = process.env): SubsidiesConfig {
  return loadServiceEnv(env, { service: SUBSIDIES_SERVICE, httpPort: SUBSIDIES_HTTP_PORT });
}
