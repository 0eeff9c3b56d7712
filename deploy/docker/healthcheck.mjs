// Container health probe: GET http://127.0.0.1:$HTTP_PORT<path> (default /healthz) must answer
// 2xx within the timeout. Used by the image's HEALTHCHECK and by docker-compose healthchecks
// (`/readyz` where a dependant needs the program ready, not only alive). Node's fetch, because
// slim images have neither curl nor wget.
const path = process.argv[2] ?? '/healthz';
const port = Number(process.env.HTTP_PORT ?? '8080');
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? '2500');

if (!path.startsWith('/') || !Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`healthcheck: bad path ${JSON.stringify(path)} or HTTP_PORT ${JSON.stringify(port)}`);
  process.exit(2);
}

try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) console.error(`healthcheck: ${path} answered ${response.status}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`healthcheck: ${path} on port ${port}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
