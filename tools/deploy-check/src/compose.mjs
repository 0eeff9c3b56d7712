// Validation of docker-compose.yml: Debian's docker-compose parses it against its schema for the
// file's format (`config -q`: unknown options, wrong types, bad depends_on conditions, undefined
// services or volumes), then the resolved model (anchors merged by compose itself) is checked
// against the files it names: Prometheus targets, the collector's pipelines, NATS and OTLP hosts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { parse } from 'yaml';
import { problem } from './problems.mjs';
import { ensureDockerCompose } from './tools.mjs';

export const COMPOSE_FILE = 'docker-compose.yml';
const PROMETHEUS_FILE = 'deploy/prometheus/prometheus.yml';
const COLLECTOR_FILE = 'deploy/otel/collector.yaml';
const COMPOSE_TIMEOUT_MS = 60_000;
/** A program of this repository: `node services/<name>/dist/main.js`. */
const PROGRAM = /^services\/([a-z-]+)\/dist\/main\.js$/;

/**
 * Runs `docker-compose -f FILE --project-directory ROOT config -q`, then the checks on the
 * resolved configuration. `file` may be a copy elsewhere (the tests break copies); paths in
 * it resolve against `root`. Returns `{ ran, compose, problems }`; `ran` is false only when
 * docker-compose could not be had (then `problems` says why). `program` names another
 * executable than docker-compose (the tests use a missing one).
 */
export function validateCompose(root, { file = join(root, COMPOSE_FILE), install = true, program } = {}) {
  const shown = isAbsolute(file) && file.startsWith(root) ? relative(root, file) : file;
  let compose;
  try {
    compose = ensureDockerCompose({ install, ...(program ? { program } : {}) });
  } catch (error) {
    return { ran: false, compose: undefined, problems: [problem(shown, '', error.message)] };
  }
  const run = (args) =>
    spawnSync(compose.path, ['-f', file, '--project-directory', root, ...args], {
      encoding: 'utf8',
      timeout: COMPOSE_TIMEOUT_MS,
      env: { ...process.env, COMPOSE_INTERACTIVE_NO_CLI: '1' },
    });
  const quiet = run(['config', '-q']);
  if (quiet.status !== 0) {
    const lines = (quiet.stderr || quiet.error?.message || `exit ${quiet.status}`).trim().split('\n');
    return {
      ran: true,
      compose,
      problems: lines.map((line) => problem(shown, 'docker-compose config', line)),
    };
  }
  const resolved = run(['config']);
  if (resolved.status !== 0)
    return {
      ran: true,
      compose,
      problems: [problem(shown, 'docker-compose config', resolved.stderr.trim())],
    };
  return { ran: true, compose, problems: checkResolved(root, shown, parse(resolved.stdout)) };
}

/** The services that run a program of this repository, with their program and environment. */
export function programServices(config) {
  return Object.entries(config.services ?? {}).flatMap(([name, service]) => {
    const command = Array.isArray(service.command) ? service.command : [];
    const match = command[0] === 'node' ? PROGRAM.exec(command[1] ?? '') : null;
    return match ? [{ name, program: match[1], service, env: service.environment ?? {} }] : [];
  });
}

function checkResolved(root, file, config) {
  const services = new Set(Object.keys(config.services ?? {}));
  const programs = programServices(config);
  const problems = [];
  if (programs.length === 0)
    problems.push(problem(file, 'services', 'no service runs a program (node services/<x>/dist/main.js)'));
  for (const { name, service, env } of programs) {
    if (service.healthcheck?.test === undefined || service.healthcheck.disable)
      problems.push(problem(file, name, 'needs a healthcheck'));
    if (service.read_only !== true) problems.push(problem(file, name, 'read_only: must be true'));
    if (service.depends_on?.['network-init']?.condition !== 'service_completed_successfully') {
      problems.push(
        problem(file, name, 'depends_on.network-init: must be condition service_completed_successfully'),
      );
    }
    if (!/^[0-9]+$/.test(String(env.HTTP_PORT ?? '')))
      problems.push(problem(file, name, 'environment.HTTP_PORT: required (a port number)'));
    if (env.HTTP_HOST !== '0.0.0.0')
      problems.push(problem(file, name, 'environment.HTTP_HOST: must be 0.0.0.0 in a container'));
    for (const host of hostsOf(env.NATS_URL) ?? ['(none)']) {
      if (!services.has(host))
        problems.push(problem(file, name, `environment.NATS_URL: ${host} is not a service`));
    }
    for (const host of hostsOf(env.OTEL_EXPORTER_OTLP_ENDPOINT) ?? ['(none)']) {
      if (!services.has(host))
        problems.push(
          problem(file, name, `environment.OTEL_EXPORTER_OTLP_ENDPOINT: ${host} is not a service`),
        );
    }
  }
  for (const [name, service] of Object.entries(config.services ?? {})) {
    for (const volume of service.volumes ?? []) {
      const source =
        typeof volume === 'string'
          ? volume.split(':')[0]
          : volume.type === 'bind'
            ? volume.source
            : undefined;
      if (source !== undefined && isAbsolute(source) && !existsSync(source)) {
        problems.push(
          problem(file, `${name}.volumes`, `bind mount source ${relative(root, source)} does not exist`),
        );
      }
    }
  }
  problems.push(...checkDatabases(file, config, programs));
  problems.push(...checkPrometheus(root, programs));
  problems.push(...checkCollector(root, services));
  return problems;
}

/** Each DATABASE_URL on the compose PostgreSQL names a database its init script creates. */
function checkDatabases(file, config, programs) {
  const created = new Set(String(config.services?.postgres?.environment?.DATABASES ?? '').split(/\s+/));
  return programs.flatMap(({ name, env }) => {
    if (env.DATABASE_URL === undefined) return [];
    const url = new URL(env.DATABASE_URL);
    const database = url.pathname.slice(1);
    if (url.hostname !== 'postgres') return [];
    if (!created.has(database) || url.username !== database) {
      return [
        problem(
          file,
          name,
          `environment.DATABASE_URL: database and role ${database} are not in postgres's DATABASES`,
        ),
      ];
    }
    return [];
  });
}

function hostsOf(urls) {
  if (typeof urls !== 'string' || urls.trim() === '') return undefined;
  return urls.split(',').map((url) => {
    try {
      return new URL(url.trim()).hostname;
    } catch {
      return `(not a URL: ${url})`;
    }
  });
}

/** Prometheus must scrape exactly the programs of the compose file, each on its HTTP_PORT. */
function checkPrometheus(root, programs) {
  const path = join(root, PROMETHEUS_FILE);
  if (!existsSync(path)) return [problem(PROMETHEUS_FILE, '', 'missing')];
  const config = parse(readFileSync(path, 'utf8'));
  const targets = new Set(
    (config?.scrape_configs ?? []).flatMap((job) =>
      (job.static_configs ?? []).flatMap((c) => c.targets ?? []),
    ),
  );
  const expected = new Set(programs.map(({ name, env }) => `${name}:${env.HTTP_PORT}`));
  const problems = [];
  for (const target of expected) {
    if (!targets.has(target))
      problems.push(
        problem(PROMETHEUS_FILE, 'scrape_configs', `no target ${target} (a service of ${COMPOSE_FILE})`),
      );
  }
  const programHosts = new Set(programs.map((p) => p.name));
  for (const target of targets) {
    const host = target.split(':')[0];
    if (programHosts.has(host) && !expected.has(target)) {
      problems.push(
        problem(
          PROMETHEUS_FILE,
          'scrape_configs',
          `target ${target}: ${host} listens on ${programs.find((p) => p.name === host).env.HTTP_PORT}`,
        ),
      );
    }
  }
  return problems;
}

/** Every pipeline of the collector uses components it defines; exporters reach compose services. */
function checkCollector(root, services) {
  const path = join(root, COLLECTOR_FILE);
  if (!existsSync(path)) return [problem(COLLECTOR_FILE, '', 'missing')];
  const config = parse(readFileSync(path, 'utf8')) ?? {};
  const problems = [];
  const pipelines = Object.entries(config.service?.pipelines ?? {});
  if (!pipelines.some(([name]) => name.startsWith('traces')))
    problems.push(problem(COLLECTOR_FILE, 'service.pipelines', 'no traces pipeline'));
  for (const [name, pipeline] of pipelines) {
    for (const section of ['receivers', 'processors', 'exporters']) {
      for (const component of pipeline[section] ?? []) {
        if (!Object.hasOwn(config[section] ?? {}, component)) {
          problems.push(
            problem(
              COLLECTOR_FILE,
              `service.pipelines.${name}.${section}`,
              `${component} is not defined under ${section}`,
            ),
          );
        }
      }
    }
  }
  for (const [name, exporter] of Object.entries(config.exporters ?? {})) {
    const endpoint = exporter?.endpoint;
    if (typeof endpoint !== 'string' || endpoint.startsWith('0.0.0.0')) continue;
    const host = endpoint.replace(/^[a-z]+:\/\//, '').split(':')[0];
    if (!services.has(host))
      problems.push(
        problem(COLLECTOR_FILE, `exporters.${name}.endpoint`, `${host} is not a service of ${COMPOSE_FILE}`),
      );
  }
  return problems;
}
