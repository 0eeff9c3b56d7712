/** Telemetry settings in the environment that cannot be used; every problem is listed. */
export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`telemetry settings are invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
