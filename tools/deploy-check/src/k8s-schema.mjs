// Strict validation of one Kubernetes object against the Kubernetes OpenAPI schemas shipped by
// `kubernetes-models` (compiled ajv validators, offline): required fields, types, enums and
// formats come from the schema; unknown fields are refused as `kubectl --validate=strict` does.
//
// The compiled schemas do not set additionalProperties: false, so unknown fields are found by
// watching the validator: it reads every property its schema declares (`data.replicas`) and
// enumerates the keys of maps (labels, data, resources). An object key it neither read nor
// enumerated is not in the schema.
import { formatPath, problem, segmentsOfPointer } from './problems.mjs';

/**
 * The kinds deploy/k8s may use and the one apiVersion accepted for each (the current stable
 * one: an older version such as autoscaling/v1 is refused by name).
 */
export const KINDS = Object.freeze({
  Namespace: { apiVersion: 'v1', schema: 'IoK8sApiCoreV1Namespace', namespaced: false },
  ConfigMap: { apiVersion: 'v1', schema: 'IoK8sApiCoreV1ConfigMap', namespaced: true },
  Secret: { apiVersion: 'v1', schema: 'IoK8sApiCoreV1Secret', namespaced: true },
  Service: { apiVersion: 'v1', schema: 'IoK8sApiCoreV1Service', namespaced: true },
  ServiceAccount: { apiVersion: 'v1', schema: 'IoK8sApiCoreV1ServiceAccount', namespaced: true },
  PersistentVolumeClaim: {
    apiVersion: 'v1',
    schema: 'IoK8sApiCoreV1PersistentVolumeClaim',
    namespaced: true,
  },
  Deployment: { apiVersion: 'apps/v1', schema: 'IoK8sApiAppsV1Deployment', namespaced: true },
  StatefulSet: { apiVersion: 'apps/v1', schema: 'IoK8sApiAppsV1StatefulSet', namespaced: true },
  DaemonSet: { apiVersion: 'apps/v1', schema: 'IoK8sApiAppsV1DaemonSet', namespaced: true },
  Job: { apiVersion: 'batch/v1', schema: 'IoK8sApiBatchV1Job', namespaced: true },
  CronJob: { apiVersion: 'batch/v1', schema: 'IoK8sApiBatchV1CronJob', namespaced: true },
  HorizontalPodAutoscaler: {
    apiVersion: 'autoscaling/v2',
    schema: 'IoK8sApiAutoscalingV2HorizontalPodAutoscaler',
    namespaced: true,
  },
  PodDisruptionBudget: {
    apiVersion: 'policy/v1',
    schema: 'IoK8sApiPolicyV1PodDisruptionBudget',
    namespaced: true,
  },
  NetworkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    schema: 'IoK8sApiNetworkingV1NetworkPolicy',
    namespaced: true,
  },
  Role: { apiVersion: 'rbac.authorization.k8s.io/v1', schema: 'IoK8sApiRbacV1Role', namespaced: true },
  RoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    schema: 'IoK8sApiRbacV1RoleBinding',
    namespaced: true,
  },
});

/** RFC 1123 label, the rule for most object names (Services, Namespaces, …). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_LENGTH_MAX = 63;

const validators = new Map();

async function validatorFor(schemaName) {
  let validate = validators.get(schemaName);
  if (validate === undefined) {
    ({ validate } = await import(`kubernetes-models/_schemas/${schemaName}`));
    validators.set(schemaName, validate);
  }
  return validate;
}

/**
 * Validates one parsed document (`{ file, index, value }`) and returns its problems. `where`
 * names the object (`Deployment/subsidies-rvo`) so that a message says which one is wrong.
 */
export async function validateObject({ file, index, value }) {
  const where = describe(value, index);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [problem(file, where, 'a Kubernetes object must be a mapping')];
  }
  const { apiVersion, kind } = value;
  const known = typeof kind === 'string' && Object.hasOwn(KINDS, kind) ? KINDS[kind] : undefined;
  if (known === undefined) {
    return [
      problem(
        file,
        where,
        `kind ${JSON.stringify(kind)} is not one this validator knows (${Object.keys(KINDS).join(', ')})`,
      ),
    ];
  }
  if (apiVersion !== known.apiVersion) {
    return [
      problem(file, where, `apiVersion ${JSON.stringify(apiVersion)}: ${kind} must be ${known.apiVersion}`),
    ];
  }
  const problems = [...checkName(file, where, value, known)];
  const validate = await validatorFor(known.schema);
  const watched = watchReads(value);
  validate(watched.proxy);
  const errors = validate.errors ?? [];
  const mistyped = [];
  for (const error of errors) {
    const segments = segmentsOfPointer(error.instancePath);
    // Only a value of the wrong type hides its keys from the schema (a missing field does not).
    if (error.keyword === 'type') mistyped.push(segments);
    problems.push(problem(file, where, `${formatPath(segments) || '(object)'}: ${schemaMessage(error)}`));
  }
  for (const segments of watched.unknownKeys()) {
    // Below a value that already failed (a map where a string belongs), every key is "unknown".
    if (mistyped.some((f) => isPrefix(f, segments))) continue;
    problems.push(problem(file, where, `${formatPath(segments)}: unknown field (not in the ${kind} schema)`));
  }
  for (const segments of nullPaths(value, [])) {
    problems.push(
      problem(file, where, `${formatPath(segments)}: empty value (null); remove the key or give it a value`),
    );
  }
  return problems;
}

function describe(value, index) {
  const kind = typeof value?.kind === 'string' ? value.kind : '?';
  const name = typeof value?.metadata?.name === 'string' ? value.metadata.name : '?';
  return `${kind}/${name} (document ${index + 1})`;
}

function checkName(file, where, value, known) {
  const name = value.metadata?.name;
  if (typeof name !== 'string') return [problem(file, where, 'metadata.name: required')];
  if (!DNS_LABEL.test(name) || name.length > NAME_LENGTH_MAX) {
    return [
      problem(
        file,
        where,
        `metadata.name ${JSON.stringify(name)}: must be a DNS label (${DNS_LABEL.source}, ≤ ${NAME_LENGTH_MAX})`,
      ),
    ];
  }
  if (!known.namespaced && value.metadata.namespace !== undefined) {
    return [problem(file, where, `metadata.namespace: a ${value.kind} is not namespaced`)];
  }
  return [];
}

function schemaMessage(error) {
  const { keyword, params } = error;
  if (keyword === 'required') return `required field ${JSON.stringify(params.missingProperty)} is missing`;
  if (keyword === 'type') return `must be of type ${params.type}`;
  if (keyword === 'enum')
    return `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (keyword === 'format') return `must be a valid ${params.format}`;
  return `${keyword} ${JSON.stringify(params)}`;
}

function isPrefix(prefix, segments) {
  return prefix.length <= segments.length && prefix.every((segment, i) => segments[i] === segment);
}

function nullPaths(value, path) {
  if (value === null) return [path];
  if (typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    nullPaths(child, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}

/**
 * Wraps a plain object tree in proxies that record, for every object, which keys were read and
 * whether its keys were enumerated. `unknownKeys()` lists the keys of objects never read.
 */
export function watchReads(root) {
  const records = [];
  const proxies = new WeakMap();
  const wrap = (value, path) => {
    if (value === null || typeof value !== 'object') return value;
    const existing = proxies.get(value);
    if (existing !== undefined) return existing;
    const record = { path, target: value, read: new Set(), enumerated: false };
    records.push(record);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const child = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || !Object.hasOwn(target, key)) return child;
        record.read.add(key);
        return wrap(child, [...path, Array.isArray(target) ? Number(key) : key]);
      },
      has(target, key) {
        if (typeof key === 'string') record.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const proxy = wrap(root, []);
  const unknownKeys = () =>
    records
      .filter((record) => !Array.isArray(record.target) && !record.enumerated)
      .flatMap((record) =>
        Object.keys(record.target)
          .filter((key) => !record.read.has(key))
          .map((key) => [...record.path, key]),
      );
  return { proxy, unknownKeys };
}
