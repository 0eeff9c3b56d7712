// Reading YAML the way the consumers do. Kubernetes (sigs.k8s.io/yaml) and docker-compose
// (PyYAML) both read YAML 1.1, where `0440` is octal and `yes` is a boolean: parsing as 1.1 here
// makes the validator see the same values they will.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { problem } from './problems.mjs';

/** Bound on the files one folder walk may return: a validator never walks without end. */
const FILES_MAX = 500;

/** Every `*.yaml`/`*.yml` below `dir`, sorted, as paths relative to `root`. */
export function listYamlFiles(root, dir) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) found.push(relative(root, path));
      if (found.length > FILES_MAX) throw new Error(`more than ${FILES_MAX} YAML files under ${dir}`);
    }
  };
  walk(dir);
  return found;
}

/**
 * The documents of a YAML file as plain values, or problems for a file that does not parse
 * (with line and column). Empty documents (a lone `---`) are dropped.
 */
export function readYamlDocuments(root, file) {
  const text = readFileSync(join(root, file), 'utf8');
  const problems = [];
  const documents = [];
  parseAllDocuments(text, { version: '1.1', prettyErrors: true }).forEach((document, index) => {
    for (const error of [...document.errors, ...document.warnings]) {
      const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : ['?', '?'];
      problems.push(problem(file, `line ${line}:${col}`, error.message.split('\n')[0]));
    }
    if (document.errors.length > 0) return;
    const value = document.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) documents.push({ file, index, value });
  });
  return { documents, problems };
}

export function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
