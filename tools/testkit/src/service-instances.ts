/**
 * A domain service's instances for several organisations in the test's process, as the REST and
 * multi-process tests of subsidies, parking and transport run them over a ledger (a stub ledger
 * or a mesh of real processes): one instance per organisation, their private stores in one
 * database of their own (rows kept apart by organisation), members' tokens cached per user, and
 * requests through fastify's inject. The service's own factory creates each instance.
 */
import { injectJson, type Injectable, type JsonReply } from './http-inject.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

/**
 * Gateway bounds (GatewayBounds) for services on a stand-in ledger in tests: what is lost or
 * refused shows within seconds instead of the production patience.
 */
export const TEST_GATEWAY_BOUNDS = {
  submitTimeoutMs: 2_000,
  submitBackoffMs: 20,
  commitPollMs: 100,
  minHeightWaitMs: 3_000,
  endorseTimeoutMs: 5_000,
  commitTimeoutMs: 15_000,
} as const;

/** What a service's app factory returns: at least its Nest/fastify application. */
export interface ServiceInstance {
  readonly app: Injectable & { close(): Promise<void> };
}

export interface ServiceInstancesOptions<O extends string, A extends ServiceInstance> {
  readonly orgs: readonly O[];
  /**
   * Creates `org`'s instance; `databaseUrl` is the private stores' database (undefined without
   * `database`: the instances keep their private data in memory).
   */
  readonly create: (org: O, databaseUrl: string | undefined) => Promise<A>;
  /** A member's bearer token for the service, by identity name (cached per user). */
  readonly token: (user: string) => string;
  /** Name prefix of the private stores' database (`civic_parking`…); none: memory stores. */
  readonly database?: string;
  /** How long each instance may take to answer /readyz 200 (default 30 s). */
  readonly readyTimeoutMs?: number;
}

export interface CallOptions {
  /** Identity whose token is sent (default `<org>-user1`, lower case); null: no token. */
  readonly user?: string | null;
  /** A token to send instead (another audience, a citizen's or a driver's token). */
  readonly token?: string;
  /** JSON-encoded unless a string (sent as it is: malformed JSON tests). */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface ServiceInstances<O extends string, A extends ServiceInstance> {
  readonly apps: Readonly<Record<O, A>>;
  /** The private stores' database, when asked for. */
  readonly privateDb: TestDatabase | undefined;
  /** The cached token of `user`. */
  token(user: string): string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test replies are read loosely
  call<T = any>(
    org: O,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    options?: CallOptions,
  ): Promise<JsonReply<T>>;
  /** Closes every instance, then drops the database. */
  close(): Promise<void>;
}

/** Starts the instances one after the other and waits until each is ready; cleans up on failure. */
export async function startServiceInstances<O extends string, A extends ServiceInstance>(
  options: ServiceInstancesOptions<O, A>,
): Promise<ServiceInstances<O, A>> {
  const apps = {} as Record<O, A>;
  let privateDb: TestDatabase | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const instance of Object.values<A>(apps)) await instance.app.close().catch(() => undefined);
    await privateDb?.drop();
  };
  try {
    if (options.database !== undefined) privateDb = await createTestDatabase(options.database);
    for (const org of options.orgs) apps[org] = await options.create(org, privateDb?.url);
    for (const org of options.orgs) await untilReady(org, apps[org], options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await close();
    throw error;
  }
  const tokens = new Map<string, string>();
  const token = (user: string): string => {
    let cached = tokens.get(user);
    if (cached === undefined) tokens.set(user, (cached = options.token(user)));
    return cached;
  };
  return {
    apps,
    privateDb,
    token,
    call(org, method, url, call = {}) {
      const user = call.user === undefined ? `${org.toLowerCase()}-user1` : call.user;
      const bearer = call.token ?? (user === null ? undefined : token(user));
      return injectJson(apps[org].app, {
        method,
        url,
        ...(bearer === undefined ? {} : { token: bearer }),
        ...(call.body === undefined ? {} : { body: call.body }),
        ...(call.headers === undefined ? {} : { headers: call.headers }),
      });
    },
    close,
  };
}

/** Polls `/readyz` until it answers 200 (its peer and channel config answer), bounded. */
async function untilReady(org: string, instance: ServiceInstance, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const reply = await injectJson(instance.app, { method: 'GET', url: '/readyz' });
    if (reply.status === 200) return;
    if (performance.now() > deadline) {
      throw new Error(`${org}'s instance not ready in ${timeoutMs} ms: ${JSON.stringify(reply.body)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
