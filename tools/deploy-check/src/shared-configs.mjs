// Configuration files that two deployments share or repeat: the NATS server configs (checked by
// nats-server itself, `-t`: syntax and unknown fields) and the PostgreSQL init script, which
// deploy/k8s/postgres.yaml carries verbatim in a ConfigMap (kustomize cannot load files from
// outside its folder).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { problem } from './problems.mjs';
import { findProgram } from './tools.mjs';
import { readYamlDocuments } from './yaml-files.mjs';

const NATS_COMPOSE_CONF = 'deploy/nats/nats.conf';
const NATS_K8S_FILE = 'deploy/k8s/nats.yaml';
const POSTGRES_INIT = 'deploy/postgres/10-databases.sh';
const POSTGRES_K8S_FILE = 'deploy/k8s/postgres.yaml';
const NATS_TIMEOUT_MS = 20_000;

function configMapData(root, file, name, key) {
  const { documents, problems } = readYamlDocuments(root, file);
  const map = documents.find((d) => d.value?.kind === 'ConfigMap' && d.value.metadata?.name === name);
  const text = map?.value.data?.[key];
  if (typeof text !== 'string')
    return { problems: [...problems, problem(file, `ConfigMap/${name}`, `no data key ${key}`)] };
  return { text, problems };
}

/** `nats-server -t` on the compose config and on the k8s ConfigMap's config. */
export function checkNatsConfigs(root) {
  const natsServer = findProgram('nats-server');
  if (natsServer === undefined) {
    return [
      problem(
        NATS_COMPOSE_CONF,
        '',
        'nats-server is not installed: cannot check the NATS configs (apt-get install nats-server)',
      ),
    ];
  }
  const k8s = configMapData(root, NATS_K8S_FILE, 'nats-config', 'nats.conf');
  const dir = mkdtempSync(join(tmpdir(), 'civic-deploy-check-'));
  try {
    const configs = [
      { shown: NATS_COMPOSE_CONF, path: join(root, NATS_COMPOSE_CONF), env: { SERVER_NAME: 'nats-1' } },
    ];
    if (k8s.text !== undefined) {
      writeFileSync(join(dir, 'nats.conf'), k8s.text);
      configs.push({
        shown: `${NATS_K8S_FILE} (ConfigMap nats-config)`,
        path: join(dir, 'nats.conf'),
        env: { POD_NAME: 'nats-0' },
      });
    }
    const problems = [...k8s.problems];
    for (const { shown, path, env } of configs) {
      const result = spawnSync(natsServer, ['-t', '-c', path], {
        encoding: 'utf8',
        timeout: NATS_TIMEOUT_MS,
        env: { ...process.env, ...env },
      });
      if (result.status !== 0) {
        const why = (result.stderr || result.stdout || result.error?.message || '')
          .trim()
          .replaceAll(path, shown);
        problems.push(problem(shown, 'nats-server -t', why || `exit ${result.status}`));
      }
    }
    return problems;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The k8s ConfigMap postgres-init must hold deploy/postgres's script byte for byte. */
export function checkPostgresInit(root) {
  const k8s = configMapData(root, POSTGRES_K8S_FILE, 'postgres-init', '10-databases.sh');
  if (k8s.text === undefined) return k8s.problems;
  if (k8s.text !== readFileSync(join(root, POSTGRES_INIT), 'utf8')) {
    return [
      problem(
        POSTGRES_K8S_FILE,
        'ConfigMap/postgres-init',
        `10-databases.sh differs from ${POSTGRES_INIT}: copy it over`,
      ),
    ];
  }
  return k8s.problems;
}
