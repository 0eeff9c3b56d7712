// Checks across the objects of deploy/k8s that no schema can make: references resolve (a
// ConfigMap, Secret, key, Service, HPA target that exists), selectors select, and the
// project's rules for workloads hold (probes on /healthz and /readyz, resource requests and
// limits, non-root and read-only containers). Input: objects that passed the schema check.
import { problem } from './problems.mjs';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);
/** Images of this repository's Dockerfile: their probes must be /healthz and /readyz. */
const CIVIC_IMAGE = /^(.*\/)?civic-ledger(:|@|$)/;

/** @param {{file: string, value: any}[]} objects */
export function checkPolicies(objects) {
  const index = indexObjects(objects);
  return [
    ...index.problems,
    ...objects.flatMap((object) => {
      const { kind } = object.value;
      if (WORKLOAD_KINDS.has(kind)) return checkWorkload(object, index);
      if (kind === 'Service') return checkService(object, index);
      if (kind === 'HorizontalPodAutoscaler') return checkAutoscaler(object, index);
      if (kind === 'PodDisruptionBudget')
        return checkSelects(object, object.value.spec.selector?.matchLabels, index);
      return [];
    }),
  ];
}

function indexObjects(objects) {
  const byKind = new Map();
  const problems = [];
  for (const object of objects) {
    const { kind, metadata } = object.value;
    if (!byKind.has(kind)) byKind.set(kind, new Map());
    const named = byKind.get(kind);
    if (named.has(metadata.name)) {
      problems.push(
        problem(
          object.file,
          `${kind}/${metadata.name}`,
          `defined twice (also in ${named.get(metadata.name).file})`,
        ),
      );
    }
    named.set(metadata.name, object);
  }
  return {
    get: (kind, name) => byKind.get(kind)?.get(name),
    all: (kind) => [...(byKind.get(kind)?.values() ?? [])],
    problems,
  };
}

const where = ({ value }) => `${value.kind}/${value.metadata.name}`;

function checkWorkload(object, index) {
  const { file, value } = object;
  const at = where(object);
  const problems = [];
  const template = value.spec.template;
  const labels = template.metadata?.labels ?? {};
  for (const [key, label] of Object.entries(value.spec.selector.matchLabels ?? {})) {
    if (labels[key] !== label)
      problems.push(
        problem(file, at, `spec.selector.matchLabels.${key}: the pod template has no label ${key}: ${label}`),
      );
  }
  const pod = template.spec ?? {};
  if (!Array.isArray(pod.containers) || pod.containers.length === 0) {
    return [
      ...problems,
      problem(file, at, 'spec.template.spec.containers: a workload needs at least one container'),
    ];
  }
  if (pod.securityContext?.runAsNonRoot !== true) {
    problems.push(problem(file, at, 'spec.template.spec.securityContext.runAsNonRoot: must be true'));
  }
  const volumeNames = new Set([
    ...(pod.volumes ?? []).map((v) => v.name),
    ...(value.spec.volumeClaimTemplates ?? []).map((c) => c.metadata?.name),
  ]);
  pod.containers.forEach((container, i) => {
    problems.push(...checkContainer(file, at, `spec.template.spec.containers[${i}]`, container, volumeNames));
  });
  problems.push(...checkReferences(file, at, pod, index));
  if (value.kind === 'StatefulSet') {
    const service = index.get('Service', value.spec.serviceName);
    if (service === undefined)
      problems.push(problem(file, at, `spec.serviceName: no Service ${value.spec.serviceName}`));
    else if (service.value.spec.clusterIP !== 'None') {
      problems.push(
        problem(
          file,
          at,
          `spec.serviceName: Service ${value.spec.serviceName} must be headless (clusterIP: None)`,
        ),
      );
    }
  }
  return problems;
}

function checkContainer(file, at, path, container, volumeNames) {
  const problems = [];
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  for (const [field, present] of [
    ['resources.requests.cpu', requests.cpu],
    ['resources.requests.memory', requests.memory],
    ['resources.limits.memory', limits.memory],
  ]) {
    if (present === undefined) problems.push(problem(file, at, `${path}.${field}: required`));
  }
  const security = container.securityContext ?? {};
  if (security.allowPrivilegeEscalation !== false)
    problems.push(problem(file, at, `${path}.securityContext.allowPrivilegeEscalation: must be false`));
  if (security.readOnlyRootFilesystem !== true)
    problems.push(problem(file, at, `${path}.securityContext.readOnlyRootFilesystem: must be true`));
  if (!(security.capabilities?.drop ?? []).includes('ALL'))
    problems.push(problem(file, at, `${path}.securityContext.capabilities.drop: must include ALL`));
  const portNames = new Set((container.ports ?? []).map((p) => p.name).filter(Boolean));
  for (const probe of ['livenessProbe', 'readinessProbe']) {
    if (container[probe] === undefined) problems.push(problem(file, at, `${path}.${probe}: required`));
  }
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    const port = container[probe]?.httpGet?.port;
    if (typeof port === 'string' && !portNames.has(port)) {
      problems.push(problem(file, at, `${path}.${probe}.httpGet.port: no container port named ${port}`));
    }
  }
  if (CIVIC_IMAGE.test(container.image ?? '')) {
    for (const [probe, expected] of [
      ['livenessProbe', '/healthz'],
      ['readinessProbe', '/readyz'],
    ]) {
      const actual = container[probe]?.httpGet?.path;
      if (container[probe] !== undefined && actual !== expected) {
        problems.push(
          problem(
            file,
            at,
            `${path}.${probe}.httpGet.path: must be ${expected}, is ${JSON.stringify(actual)}`,
          ),
        );
      }
    }
  }
  for (const [i, mount] of (container.volumeMounts ?? []).entries()) {
    if (!volumeNames.has(mount.name))
      problems.push(problem(file, at, `${path}.volumeMounts[${i}].name: no volume ${mount.name}`));
  }
  return problems;
}

/**
 * The ConfigMaps and Secrets a container's environment and a pod's volumes name, as
 * `{ path, kind, name, keys }` (keys: those it reads; empty for the whole object).
 */
function references(pod, podPath) {
  const found = [];
  const add = (path, kind, name, keys = []) => found.push({ path, kind, name, keys });
  const itemKeys = (items) => (items ?? []).map((item) => item.key);
  for (const [c, container] of (pod.containers ?? []).entries()) {
    const path = `${podPath}.containers[${c}]`;
    for (const [i, { configMapRef, secretRef }] of (container.envFrom ?? []).entries()) {
      if (configMapRef) add(`${path}.envFrom[${i}]`, 'ConfigMap', configMapRef.name);
      if (secretRef) add(`${path}.envFrom[${i}]`, 'Secret', secretRef.name);
    }
    for (const [i, { valueFrom }] of (container.env ?? []).entries()) {
      if (valueFrom?.configMapKeyRef)
        add(`${path}.env[${i}]`, 'ConfigMap', valueFrom.configMapKeyRef.name, [
          valueFrom.configMapKeyRef.key,
        ]);
      if (valueFrom?.secretKeyRef)
        add(`${path}.env[${i}]`, 'Secret', valueFrom.secretKeyRef.name, [valueFrom.secretKeyRef.key]);
    }
  }
  for (const [v, volume] of (pod.volumes ?? []).entries()) {
    const path = `${podPath}.volumes[${v}]`;
    if (volume.configMap) add(path, 'ConfigMap', volume.configMap.name, itemKeys(volume.configMap.items));
    if (volume.secret) add(path, 'Secret', volume.secret.secretName, itemKeys(volume.secret.items));
    for (const [i, { configMap, secret }] of (volume.projected?.sources ?? []).entries()) {
      if (configMap)
        add(`${path}.projected.sources[${i}]`, 'ConfigMap', configMap.name, itemKeys(configMap.items));
      if (secret) add(`${path}.projected.sources[${i}]`, 'Secret', secret.name, itemKeys(secret.items));
    }
  }
  return found;
}

/** Each referenced ConfigMap or Secret must exist (placeholders count) and hold every key read. */
function checkReferences(file, at, pod, index) {
  return references(pod, 'spec.template.spec').flatMap(({ path, kind, name, keys }) => {
    const target = index.get(kind, name);
    if (target === undefined)
      return [problem(file, at, `${path}: no ${kind} ${name} in deploy/k8s (placeholders included)`)];
    const held = new Set(
      ['data', 'stringData', 'binaryData'].flatMap((field) => Object.keys(target.value[field] ?? {})),
    );
    return keys
      .filter((key) => !held.has(key))
      .map((key) => problem(file, at, `${path}: ${kind} ${name} has no key ${key}`));
  });
}

function podTemplates(index) {
  return [...WORKLOAD_KINDS]
    .flatMap((kind) => index.all(kind))
    .map((workload) => workload.value.spec.template);
}

function selected(selector, index) {
  const entries = Object.entries(selector ?? {});
  return podTemplates(index).filter((template) =>
    entries.every(([key, value]) => template.metadata?.labels?.[key] === value),
  );
}

function checkSelects(object, selector, index) {
  if (selected(selector, index).length > 0) return [];
  return [
    problem(object.file, where(object), `selector ${JSON.stringify(selector ?? {})} selects no pod template`),
  ];
}

function checkService(object, index) {
  const { spec } = object.value;
  const pods = selected(spec.selector, index);
  if (pods.length === 0) return checkSelects(object, spec.selector, index);
  const portNames = new Set(
    pods.flatMap((pod) => (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name))),
  );
  return (spec.ports ?? [])
    .filter((port) => typeof port.targetPort === 'string' && !portNames.has(port.targetPort))
    .map((port) =>
      problem(
        object.file,
        where(object),
        `spec.ports.${port.name ?? port.port}.targetPort: no container port named ${port.targetPort} in the selected pods`,
      ),
    );
}

function checkAutoscaler(object, index) {
  const { scaleTargetRef } = object.value.spec;
  const target = index.get(scaleTargetRef.kind, scaleTargetRef.name);
  const at = where(object);
  if (target === undefined || target.value.apiVersion !== scaleTargetRef.apiVersion) {
    return [
      problem(
        object.file,
        at,
        `spec.scaleTargetRef: no ${scaleTargetRef.apiVersion} ${scaleTargetRef.kind} ${scaleTargetRef.name}`,
      ),
    ];
  }
  const problems = [];
  if (target.value.spec.replicas !== undefined) {
    problems.push(
      problem(
        target.file,
        where(target),
        'spec.replicas: the HorizontalPodAutoscaler owns the replica count; leave it out (kubectl apply would reset it)',
      ),
    );
  }
  const usesCpu = (object.value.spec.metrics ?? []).some((m) => m.resource?.name === 'cpu');
  const containers = target.value.spec.template.spec?.containers ?? [];
  if (usesCpu && containers.some((c) => c.resources?.requests?.cpu === undefined)) {
    problems.push(
      problem(
        object.file,
        at,
        `CPU utilisation needs resources.requests.cpu on every container of ${scaleTargetRef.name}`,
      ),
    );
  }
  return problems;
}
