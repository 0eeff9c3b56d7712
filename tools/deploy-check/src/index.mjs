// @civic/deploy-check: validation of the deployment artefacts (Dockerfile, docker-compose.yml, deploy/k8s,
// the NATS, OpenTelemetry, Prometheus and PostgreSQL configs). `validateAll` runs everything;
// the CLI (main.mjs) prints the result.
import { validateCompose } from './compose.mjs';
import { checkDockerfile } from './dockerfile.mjs';
import { validateKubernetes } from './k8s.mjs';
import { checkNatsConfigs, checkPostgresInit } from './shared-configs.mjs';

export { COMPOSE_FILE, programServices, validateCompose } from './compose.mjs';
export { checkDockerfile, parseDockerfile } from './dockerfile.mjs';
export { K8S_DIR, validateKubernetes } from './k8s.mjs';
export { KINDS, validateObject, watchReads } from './k8s-schema.mjs';
export { formatProblem, problem } from './problems.mjs';
export { checkNatsConfigs, checkPostgresInit } from './shared-configs.mjs';
export { ensureDockerCompose, findProgram, ToolUnavailableError } from './tools.mjs';

/**
 * Every check, as sections `{ name, summary, problems }` in a fixed order. `install`: install
 * docker-compose with apt-get when missing (default true).
 */
export async function validateAll(root, { install = true } = {}) {
  const compose = validateCompose(root, { install });
  const k8s = await validateKubernetes(root);
  return [
    {
      name: 'compose',
      summary: compose.ran
        ? `docker-compose config (${compose.compose.path}${compose.compose.installed ? ', installed now' : ''})`
        : 'docker-compose unavailable',
      problems: compose.problems,
    },
    {
      name: 'dockerfile',
      summary: 'multi-stage, node:24-slim, USER node, HEALTHCHECK, .dockerignore',
      problems: checkDockerfile(root),
    },
    {
      name: 'kubernetes',
      summary: `${k8s.objects} objects in ${k8s.files.length} files`,
      problems: k8s.problems,
    },
    { name: 'nats', summary: 'nats-server -t on both NATS configs', problems: checkNatsConfigs(root) },
    {
      name: 'postgres-init',
      summary: 'k8s init script equals deploy/postgres',
      problems: checkPostgresInit(root),
    },
  ];
}
