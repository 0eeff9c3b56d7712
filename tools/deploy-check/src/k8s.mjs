// Validation of deploy/k8s: every object of every YAML file against the Kubernetes schemas
// (k8s-schema.mjs), the cross-object rules (k8s-policy.mjs), the kustomization, and the list of
// identities of make-secrets.sh against the Secrets the workloads mount.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { checkPolicies } from './k8s-policy.mjs';
import { validateObject } from './k8s-schema.mjs';
import { problem } from './problems.mjs';
import { isFile, listYamlFiles, readYamlDocuments } from './yaml-files.mjs';

export const K8S_DIR = 'deploy/k8s';
const KUSTOMIZATION = 'kustomization.yaml';
const IDENTITY_SECRET_PREFIX = 'civic-id-';

/** The keys of a Kustomization this repository uses or may use (others are refused). */
const KUSTOMIZATION_KEYS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'labels',
  'commonAnnotations',
  'images',
  'resources',
  'components',
  'patches',
  'replicas',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
]);

/**
 * Validates every YAML file below `root/dir`. Returns `{ files, objects, problems }`: the files
 * read, the number of Kubernetes objects checked, and what is wrong (empty when all is well).
 */
export async function validateKubernetes(root, dir = K8S_DIR) {
  const absolute = join(root, dir);
  if (!existsSync(absolute))
    return { files: [], objects: 0, problems: [problem(dir, '', 'folder not found')] };
  const files = listYamlFiles(root, absolute);
  const problems = [];
  const objects = [];
  for (const file of files) {
    const read = readYamlDocuments(root, file);
    problems.push(...read.problems);
    if (basename(file) === KUSTOMIZATION) {
      problems.push(...checkKustomization(root, file, read.documents));
      continue;
    }
    for (const document of read.documents) {
      const found = await validateObject(document);
      problems.push(...found);
      if (found.length === 0) objects.push(document);
    }
  }
  problems.push(...checkPolicies(objects));
  problems.push(...checkSecretScript(root, dir, objects));
  problems.push(...checkDatabases(dir, objects));
  return { files, objects: objects.length, problems };
}

function checkKustomization(root, file, documents) {
  const problems = [];
  const [document] = documents;
  if (documents.length !== 1 || typeof document.value !== 'object') {
    return [problem(file, '', 'must hold exactly one Kustomization mapping')];
  }
  const kustomization = document.value;
  if (
    kustomization.kind !== 'Kustomization' ||
    kustomization.apiVersion !== 'kustomize.config.k8s.io/v1beta1'
  ) {
    problems.push(
      problem(file, '', 'must be kind Kustomization, apiVersion kustomize.config.k8s.io/v1beta1'),
    );
  }
  for (const key of Object.keys(kustomization)) {
    if (!KUSTOMIZATION_KEYS.has(key))
      problems.push(problem(file, key, 'unknown field (not a Kustomization field this repository uses)'));
  }
  const folder = dirname(file);
  const listed = new Set();
  for (const [i, resource] of (kustomization.resources ?? []).entries()) {
    if (typeof resource !== 'string' || !isFile(join(root, folder, resource))) {
      problems.push(
        problem(
          file,
          `resources[${i}]`,
          `${JSON.stringify(resource)} is not a file next to ${KUSTOMIZATION}`,
        ),
      );
    } else listed.add(relative(folder, join(folder, resource)));
  }
  // A manifest beside the kustomization but not in it would never be applied.
  for (const other of listYamlFiles(root, join(root, folder))) {
    const name = relative(folder, other);
    if (dirname(name) === '.' && name !== KUSTOMIZATION && !listed.has(name)) {
      problems.push(
        problem(file, 'resources', `${name} is not listed (kubectl apply -k would leave it out)`),
      );
    }
  }
  return problems;
}

/**
 * make-secrets.sh must create a Secret for every identity a workload mounts, and the
 * placeholders must show each of them (same names), so that the script, the placeholders and
 * the pods cannot drift apart.
 */
function checkSecretScript(root, dir, objects) {
  const script = join(dir, 'make-secrets.sh');
  if (!isFile(join(root, script))) return [problem(script, '', 'missing')];
  const match = /^IDENTITIES="([^"]*)"/m.exec(readFileSync(join(root, script), 'utf8'));
  if (match === null) return [problem(script, 'IDENTITIES', 'no IDENTITIES="…" list')];
  const scripted = new Set(
    match[1]
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => IDENTITY_SECRET_PREFIX + id),
  );
  const defined = new Set(
    objects
      .filter((o) => o.value.kind === 'Secret')
      .map((o) => o.value.metadata.name)
      .filter((n) => n.startsWith(IDENTITY_SECRET_PREFIX)),
  );
  const mounted = new Set(
    objects.flatMap(secretsMounted).filter((n) => n.startsWith(IDENTITY_SECRET_PREFIX)),
  );
  const problems = [];
  for (const name of mounted) {
    if (!scripted.has(name))
      problems.push(
        problem(script, 'IDENTITIES', `a workload mounts Secret ${name} but the script does not create it`),
      );
  }
  for (const name of scripted) {
    if (!defined.has(name))
      problems.push(
        problem(
          script,
          'IDENTITIES',
          `creates Secret ${name}, which has no placeholder in ${dir}/placeholders`,
        ),
      );
    if (!mounted.has(name))
      problems.push(problem(script, 'IDENTITIES', `creates Secret ${name}, which no workload mounts`));
  }
  return problems;
}

/** Names of the Secrets a workload's pods mount as volumes (plain or projected). */
function secretsMounted({ value }) {
  if (value.kind !== 'Deployment' && value.kind !== 'StatefulSet') return [];
  return (value.spec.template.spec?.volumes ?? []).flatMap((volume) => [
    ...(volume.secret ? [volume.secret.secretName] : []),
    ...(volume.projected?.sources ?? [])
      .filter((source) => source.secret)
      .map((source) => source.secret.name),
  ]);
}

/**
 * Each DATABASE_URL of a workload names a database (and role) that the postgres StatefulSet's
 * init script creates (its DATABASES variable).
 */
function checkDatabases(dir, objects) {
  const workloads = objects.filter((o) => o.value.kind === 'Deployment' || o.value.kind === 'StatefulSet');
  const containers = (o) => o.value.spec.template.spec?.containers ?? [];
  const envValue = (container, name) => (container.env ?? []).find((e) => e.name === name)?.value;
  const postgres = workloads.find((o) => o.value.metadata.name === 'postgres');
  const created = new Set(
    String((postgres && envValue(containers(postgres)[0], 'DATABASES')) ?? '').split(/\s+/),
  );
  return workloads.flatMap((workload) =>
    containers(workload).flatMap((container) => {
      const url = envValue(container, 'DATABASE_URL');
      const match =
        typeof url === 'string'
          ? /^postgres:\/\/([a-z0-9_]+):[^@]*@postgres:5432\/([a-z0-9_]+)$/.exec(url)
          : null;
      if (url === undefined || (match && match[1] === match[2] && created.has(match[2]))) return [];
      return [
        problem(
          workload.file,
          `${workload.value.kind}/${workload.value.metadata.name}`,
          `DATABASE_URL ${url}: not a role and database of the same name in postgres's DATABASES (${dir}/postgres.yaml)`,
        ),
      ];
    }),
  );
}
