/**
 * A JSON request through fastify's `inject` (the whole HTTP stack of a Nest/fastify app, no
 * sockets), as the domain services' REST tests make them: bearer token, JSON body, JSON answer.
 */

/** The part of a fastify (or NestFastifyApplication) instance that `inject` needs. */
export interface Injectable {
  inject(request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: string;
  }): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;
}

export interface JsonReply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Record<string, unknown>;
}

export async function injectJson<T = unknown>(
  app: Injectable,
  request: {
    readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    readonly url: string;
    /** Sent as `Authorization: Bearer <token>` when given. */
    readonly token?: string;
    /** JSON-encoded unless a string (sent as is: malformed JSON tests). */
    readonly body?: unknown;
    readonly headers?: Record<string, string>;
  },
): Promise<JsonReply<T>> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  let payload: string | undefined;
  if (request.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    payload = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  }
  const res = await app.inject({
    method: request.method,
    url: request.url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
  let body: unknown = res.body;
  try {
    body = res.body.length > 0 ? JSON.parse(res.body) : undefined;
  } catch {
    // Not JSON (metrics text): the text as it is.
  }
  return { status: res.statusCode, body: body as T, headers: res.headers };
}
