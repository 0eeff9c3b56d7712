import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkDockerfile,
  checkNatsConfigs,
  checkPostgresInit,
  formatProblem,
  KINDS,
  validateCompose,
  validateKubernetes,
  validateObject,
  type Problem,
} from '@civic/deploy-check';
import { copyDeployment, editText, editYaml, named, ROOT } from './fixtures.js';

const MAIN = join(ROOT, 'tools/deploy-check/src/main.mjs');
/** Installing docker-compose with apt-get (first run on a fresh machine) takes a while. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

const copies: (() => void)[] = [];
afterEach(() => copies.splice(0).forEach((remove) => remove()));
function scratch(): string {
  const { root, remove } = copyDeployment();
  copies.push(remove);
  return root;
}

/** The problems as text, for messages that show what was found when an expectation fails. */
const text = (problems: readonly Problem[]) => problems.map(formatProblem).join('\n');

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('pass strict validation against the Kubernetes schemas', async () => {
    const result = await validateKubernetes(ROOT);
    expect(text(result.problems)).toBe('');
    expect(result.objects).toBeGreaterThanOrEqual(60);
    expect(result.files).toContain('deploy/k8s/orderer.yaml');
  });

  it('know the schema of every kind they may use, and refuse an unknown kind', async () => {
    for (const [kind, { apiVersion }] of Object.entries(KINDS)) {
      const value = { apiVersion, kind, metadata: { name: 'x' }, surplus: true };
      const problems = await validateObject({ file: 'f.yaml', index: 0, value });
      expect(text(problems), kind).toMatch(/surplus: unknown field/);
    }
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' } };
    const problems = await validateObject({ file: 'f.yaml', index: 0, value: ingress });
    expect(text(problems)).toMatch(/kind "Ingress" is not one this validator knows/);
  });

  // Each case breaks one thing in a copy; the validator must name the file and the field.
  const cases: { name: string; file: string; message: RegExp; breakIt: (root: string) => void }[] = [
    {
      name: 'an unknown field',
      file: 'deploy/k8s/orderer.yaml',
      message: /StatefulSet\/orderer .*spec\.replica: unknown field/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/orderer.yaml', (v) => {
          if (named('StatefulSet', 'orderer')(v)) v.spec.replica = 3;
        }),
    },
    {
      name: 'an unknown field deep in a pod template',
      file: 'deploy/k8s/subsidies.yaml',
      message: /containers\[0\]\.livenessProbe\.httpGet\.hots: unknown field/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/subsidies.yaml', (v) => {
          if (named('Deployment', 'subsidies-rvo')(v))
            v.spec.template.spec.containers[0].livenessProbe.httpGet.hots = 'x';
        }),
    },
    {
      name: 'a missing required field',
      file: 'deploy/k8s/parking.yaml',
      message: /Deployment\/parking-police .*spec: required field "selector" is missing/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/parking.yaml', (v) => {
          if (named('Deployment', 'parking-police')(v)) delete v.spec.selector;
        }),
    },
    {
      name: 'a value of the wrong type',
      file: 'deploy/k8s/nats.yaml',
      message: /ports\[0\]\.containerPort: must be of type integer/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/nats.yaml', (v) => {
          if (named('StatefulSet', 'nats')(v))
            v.spec.template.spec.containers[0].ports[0].containerPort = 'four';
        }),
    },
    {
      name: 'a value outside its enum',
      file: 'deploy/k8s/peers.yaml',
      message: /imagePullPolicy: must be one of "Always", "IfNotPresent", "Never"/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/peers.yaml', (v) => {
          if (named('StatefulSet', 'rvo-peer')(v))
            v.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
        }),
    },
    {
      name: 'an HPA of an old API version',
      file: 'deploy/k8s/transport.yaml',
      message: /apiVersion "autoscaling\/v1": HorizontalPodAutoscaler must be autoscaling\/v2/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/transport.yaml', (v) => {
          if (named('HorizontalPodAutoscaler', 'transport-ilt')(v)) v.apiVersion = 'autoscaling/v1';
        }),
    },
    {
      name: 'a readiness probe not on /readyz',
      file: 'deploy/k8s/parking.yaml',
      message: /readinessProbe\.httpGet\.path: must be \/readyz, is "\/ready"/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/parking.yaml', (v) => {
          if (named('Deployment', 'parking-assessor')(v))
            v.spec.template.spec.containers[0].readinessProbe.httpGet.path = '/ready';
        }),
    },
    {
      name: 'a container without resource requests',
      file: 'deploy/k8s/postgres.yaml',
      message: /containers\[0\]\.resources\.requests\.cpu: required/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/postgres.yaml', (v) => {
          if (named('StatefulSet', 'postgres')(v))
            delete v.spec.template.spec.containers[0].resources.requests;
        }),
    },
    {
      name: 'a Secret key that does not exist',
      file: 'deploy/k8s/peers.yaml',
      message: /Secret civic-postgres has no key RVO_PASSWORD/,
      breakIt: (root) =>
        editText(root, 'deploy/k8s/peers.yaml', 'key: RVO_PEER_PASSWORD', 'key: RVO_PASSWORD'),
    },
    {
      name: 'an HPA whose target does not exist',
      file: 'deploy/k8s/subsidies.yaml',
      message: /spec\.scaleTargetRef: no apps\/v1 Deployment subsidies-nowhere/,
      breakIt: (root) =>
        editYaml(root, 'deploy/k8s/subsidies.yaml', (v) => {
          if (named('HorizontalPodAutoscaler', 'subsidies-utrecht')(v))
            v.spec.scaleTargetRef.name = 'subsidies-nowhere';
        }),
    },
    {
      name: 'a manifest left out of the kustomization',
      file: 'deploy/k8s/kustomization.yaml',
      message: /parking\.yaml is not listed/,
      breakIt: (root) => editText(root, 'deploy/k8s/kustomization.yaml', '  - parking.yaml\n', ''),
    },
    {
      name: 'a YAML syntax error',
      file: 'deploy/k8s/civic-env.yaml',
      message: /line \d+:\d+/,
      breakIt: (root) => editText(root, 'deploy/k8s/civic-env.yaml', '  CHANNEL: civic', '  CHANNEL: [civic'),
    },
    {
      name: 'a database the PostgreSQL init does not create',
      file: 'deploy/k8s/transport.yaml',
      message: /Deployment\/transport-rdw: DATABASE_URL .*rdw_transprot: not a role and database/,
      breakIt: (root) =>
        editText(root, 'deploy/k8s/transport.yaml', '5432/rdw_transport', '5432/rdw_transprot'),
    },
    {
      name: 'make-secrets.sh forgetting an identity a pod mounts',
      file: 'deploy/k8s/make-secrets.sh',
      message: /mounts Secret civic-id-ilt-transport but the script does not create it/,
      breakIt: (root) => editText(root, 'deploy/k8s/make-secrets.sh', 'ilt-transport ', ''),
    },
  ];

  it.each(cases)('refuse $name, naming the file and field', async ({ file, message, breakIt }) => {
    const root = scratch();
    breakIt(root);
    const { problems } = await validateKubernetes(root);
    expect(problems.length).toBeGreaterThan(0);
    const match = problems.find((p) => p.file === file && message.test(`${p.where}: ${p.message}`));
    expect(match, `expected ${file}: ${message}; found:\n${text(problems)}`).toBeDefined();
  });
});

describe('docker-compose.yml', () => {
  it(
    'passes `docker-compose config` (docker-compose installed with apt-get when missing) and the checks',
    () => {
      const result = validateCompose(ROOT);
      // Not a skip: without docker-compose the validation did not run, and that is a failure.
      expect(result.ran, text(result.problems)).toBe(true);
      expect(text(result.problems)).toBe('');
    },
    INSTALL_TIMEOUT_MS,
  );

  it('fails, and says why, when docker-compose is absent and may not be installed', () => {
    const result = validateCompose(ROOT, { install: false, program: 'docker-compose-that-is-not-there' });
    expect(result.ran).toBe(false);
    expect(text(result.problems)).toMatch(/docker-compose-that-is-not-there is not installed/);
  });

  const cases: { name: string; file: string; message: RegExp; breakIt: (root: string) => void }[] = [
    {
      name: 'an option compose does not know',
      file: 'docker-compose.yml',
      message: /Unsupported config option for services\.postgres: 'imagee'/,
      breakIt: (root) =>
        editText(root, 'docker-compose.yml', 'image: postgres:16-alpine', 'imagee: postgres:16-alpine'),
    },
    {
      name: 'a depends_on condition that does not exist',
      file: 'docker-compose.yml',
      message: /services\.[a-z-]+\.depends_on\.postgres\.condition contains "service_happy"/,
      breakIt: (root) =>
        editText(root, 'docker-compose.yml', /(postgres:\n\s+condition: )service_healthy/, '$1service_happy'),
    },
    {
      name: 'a program Prometheus does not scrape',
      file: 'deploy/prometheus/prometheus.yml',
      message: /no target transport-rdw:3302/,
      breakIt: (root) => editText(root, 'deploy/prometheus/prometheus.yml', "'transport-rdw:3302', ", ''),
    },
    {
      name: 'a collector pipeline naming an undefined exporter',
      file: 'deploy/otel/collector.yaml',
      message: /otlp\/zipkin is not defined under exporters/,
      breakIt: (root) =>
        editText(root, 'deploy/otel/collector.yaml', 'exporters: [otlp/jaeger]', 'exporters: [otlp/zipkin]'),
    },
    {
      name: 'a database the PostgreSQL init does not create',
      file: 'docker-compose.yml',
      message: /parking-police: environment\.DATABASE_URL: database and role police_parkin/,
      breakIt: (root) => editText(root, 'docker-compose.yml', '5432/police_parking', '5432/police_parkin'),
    },
    {
      name: 'a NATS URL naming no service',
      file: 'docker-compose.yml',
      message: /environment\.NATS_URL: nats-9 is not a service/,
      breakIt: (root) => editText(root, 'docker-compose.yml', 'nats://nats-3:4222\n', 'nats://nats-9:4222\n'),
    },
  ];

  it.each(cases)(
    'refuses $name, naming the file',
    ({ file, message, breakIt }) => {
      const root = scratch();
      breakIt(root);
      const result = validateCompose(root);
      expect(result.ran).toBe(true);
      const match = result.problems.find((p) => p.file === file && message.test(`${p.where}: ${p.message}`));
      expect(match, `expected ${file}: ${message}; found:\n${text(result.problems)}`).toBeDefined();
    },
    INSTALL_TIMEOUT_MS,
  );
});

describe('Dockerfile', () => {
  it('is multi-stage, node:24-slim, non-root, with a HEALTHCHECK; .dockerignore keeps builds clean', () => {
    expect(text(checkDockerfile(ROOT))).toBe('');
  });

  it.each([
    {
      name: 'running as root',
      from: /^USER node$/m,
      to: 'USER root',
      message: /must run as USER node \(non-root\), runs as root/,
    },
    {
      name: 'no HEALTHCHECK',
      from: /^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m,
      to: '',
      message: /needs a HEALTHCHECK/,
    },
    {
      name: 'another base image',
      from: 'FROM node:24-slim AS runtime',
      to: 'FROM node:22 AS runtime',
      message: /must start FROM node:24-slim, not node:22/,
    },
    {
      name: 'a COPY from a stage that does not exist',
      from: '--from=build',
      to: '--from=builder',
      message: /COPY --from=builder: no earlier stage named builder/,
    },
  ])('refuses $name', ({ from, to, message }) => {
    const root = scratch();
    editText(root, 'Dockerfile', from, to);
    expect(text(checkDockerfile(root))).toMatch(message);
  });

  it('refuses a .dockerignore that lets node_modules in', () => {
    const root = scratch();
    editText(root, '.dockerignore', '**/node_modules\n', '');
    expect(text(checkDockerfile(root))).toMatch(/\.dockerignore: must exclude \*\*\/node_modules/);
  });
});

describe('shared configuration files', () => {
  it('NATS configs pass nats-server -t; an unknown option fails', () => {
    expect(text(checkNatsConfigs(ROOT))).toBe('');
    const root = scratch();
    editText(root, 'deploy/nats/nats.conf', 'max_payload: 8MB', 'max_payloads: 8MB');
    expect(text(checkNatsConfigs(root))).toMatch(
      /deploy\/nats\/nats\.conf: nats-server -t: .*unknown field "max_payloads"/,
    );
  });

  it('the k8s PostgreSQL init script is the compose one', () => {
    expect(checkPostgresInit(ROOT)).toEqual([]);
    const root = scratch();
    editText(root, 'deploy/postgres/10-databases.sh', 'set -eu', 'set -u');
    expect(text(checkPostgresInit(root))).toMatch(
      /deploy\/k8s\/postgres\.yaml: ConfigMap\/postgres-init: .* differs/,
    );
  });
});

describe('the civic-deploy-check command', () => {
  it(
    'exits 0 on the repository and 1 on a broken copy, printing the problem',
    () => {
      const good = spawnSync(process.execPath, [MAIN, '--root', ROOT], { encoding: 'utf8' });
      expect(good.stdout).toMatch(/^ok {3}compose: docker-compose config/m);
      expect(good.stdout).toMatch(/^ok {3}kubernetes: \d+ objects in \d+ files/m);
      expect(good.status, good.stdout + good.stderr).toBe(0);

      const root = scratch();
      editText(root, 'deploy/k8s/orderer.yaml', 'replicas: 3', 'replicas: three');
      const bad = spawnSync(process.execPath, [MAIN, '--root', root], { encoding: 'utf8' });
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(
        /deploy\/k8s\/orderer\.yaml: StatefulSet\/orderer .*spec\.replicas: must be of type integer/,
      );
    },
    INSTALL_TIMEOUT_MS,
  );
});
