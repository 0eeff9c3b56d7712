// A problem found in a deployment file: which file, where in it (a dotted path), what is wrong.
// Every check returns a list of these; the CLI prints one per line and fails when any exist.

/**
 * @param {string} file  the file, relative to the repository root
 * @param {string} where a location inside it: `Deployment/x spec.replicas`, a service name, …
 * @param {string} message what is wrong
 */
export function problem(file, where, message) {
  return { file, where, message };
}

export function formatProblem({ file, where, message }) {
  return where ? `${file}: ${where}: ${message}` : `${file}: ${message}`;
}

/** `["spec", "containers", 0, "image"]` → `spec.containers[0].image`. */
export function formatPath(segments) {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** An ajv instancePath (`/spec/containers/0/image`) as segments (numbers for array indices). */
export function segmentsOfPointer(pointer) {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}
