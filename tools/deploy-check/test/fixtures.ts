import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';

/** The repository root (tools/deploy-check/test → ../../..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A scratch copy of the deployment files (Dockerfile, compose, deploy/) to break; removed by `remove()`. */
export function copyDeployment(): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'civic-deploy-copy-'));
  for (const file of ['docker-compose.yml', 'Dockerfile', '.dockerignore'])
    cpSync(join(ROOT, file), join(root, file));
  cpSync(join(ROOT, 'deploy'), join(root, 'deploy'), { recursive: true });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Rewrites the objects of a YAML file of `root`: `change` gets each document (YAML 1.1, as
 * Kubernetes reads it) and mutates the ones it wants; the file is written back without comments.
 */
export function editYaml(root: string, file: string, change: (value: Json, index: number) => void): void {
  const path = join(root, file);
  const values = parseAllDocuments(readFileSync(path, 'utf8'), { version: '1.1' }).map(
    (d) => d.toJS() as Json,
  );
  values.forEach((value, index) => change(value, index));
  writeFileSync(path, values.map((value) => stringify(value, { version: '1.1' })).join('---\n'));
}

/** Replaces text in a file of `root`, failing when the text is not there (a test of nothing). */
export function editText(root: string, file: string, from: string | RegExp, to: string): void {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`${file}: ${String(from)} not found`);
  writeFileSync(path, after);
}

export const named = (kind: string, name: string) => (value: Json) =>
  value.kind === kind && value.metadata?.name === name;
