/**
 * A domain service program (`services/<domain>/dist/main.js`) as a child process for
 * multi-process tests, on a free port, with its log lines kept (bounded) for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { collectOutput } from './child-log.js';
import { freePort } from '../nats-cluster.js';
import { WORKSPACE_ROOT } from './peer-process.js';

export interface ServiceProcessOptions {
  readonly domain: 'subsidies' | 'parking' | 'transport';
  readonly mspId: string;
  /** The peer it reads (e.g. `utrecht-peer`). */
  readonly peerId: string;
  readonly networkDir: string;
  readonly channel: string;
  readonly natsUrl: string;
  /** More environment (OTEL_*, DATABASE_URL, …). */
  readonly env?: Readonly<Record<string, string>>;
}

export class ServiceProcess {
  readonly log: string[] = [];
  readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;

  private constructor(
    readonly url: string,
    options: ServiceProcessOptions,
    port: number,
  ) {
    this.#child = spawn(process.execPath, [join(WORKSPACE_ROOT, `services/${options.domain}/dist/main.js`)], {
      env: {
        ...process.env,
        NETWORK_DIR: options.networkDir,
        CHANNEL: options.channel,
        ORG: options.mspId,
        PEER_ID: options.peerId,
        NATS_URL: options.natsUrl,
        HTTP_PORT: String(port),
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = collectOutput(this.#child, this.log);
  }

  /** Starts the service and waits (bounded) until its `/readyz` answers 200. */
  static async start(options: ServiceProcessOptions, timeoutMs = 60_000): Promise<ServiceProcess> {
    const port = await freePort();
    const service = new ServiceProcess(`http://127.0.0.1:${port}`, options, port);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const status = await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(1_000) })
        .then((r) => r.status)
        .catch(() => 0);
      if (status === 200) return service;
      if (service.#child.exitCode !== null || performance.now() > deadline) {
        await service.stop();
        throw new Error(
          `${options.domain} of ${options.mspId} not ready in ${timeoutMs} ms:\n${service.log.slice(-20).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
