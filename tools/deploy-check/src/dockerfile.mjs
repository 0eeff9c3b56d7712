// The Dockerfile's promises, checked without a Docker engine: a multi-stage build whose final
// stage is Node 24 slim, runs as the unprivileged `node` user, has a HEALTHCHECK and a CMD;
// `COPY --from` names an earlier stage; .dockerignore keeps node_modules and dist out of the
// context but not the files the build copies from deploy/docker.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { problem } from './problems.mjs';

export const DOCKERFILE = 'Dockerfile';
const DOCKERIGNORE = '.dockerignore';
const RUNTIME_BASE = 'node:24-slim';
const RUNTIME_USER = 'node';

/** Instructions as `{ line, keyword, args }`, continuation lines joined, comments dropped. */
export function parseDockerfile(text) {
  const instructions = [];
  let pending = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (pending === null && (line === '' || line.startsWith('#'))) return;
    if (pending !== null && line.startsWith('#')) return;
    const body = line.endsWith('\\') ? line.slice(0, -1) : line;
    pending =
      pending === null ? { line: i + 1, text: body } : { ...pending, text: `${pending.text} ${body}` };
    if (line.endsWith('\\')) return;
    const [keyword, ...rest] = pending.text.trim().split(/\s+/);
    instructions.push({ line: pending.line, keyword: keyword.toUpperCase(), args: rest.join(' ') });
    pending = null;
  });
  return instructions;
}

export function checkDockerfile(root) {
  const path = join(root, DOCKERFILE);
  if (!existsSync(path)) return [problem(DOCKERFILE, '', 'missing')];
  const instructions = parseDockerfile(readFileSync(path, 'utf8'));
  const problems = [];
  const stages = [];
  for (const { line, keyword, args } of instructions) {
    const at = `line ${line}`;
    if (keyword === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ image: match?.[1], name: match?.[2], instructions: [] });
      continue;
    }
    if (stages.length === 0) {
      if (keyword !== 'ARG') problems.push(problem(DOCKERFILE, at, `${keyword} before the first FROM`));
      continue;
    }
    stages.at(-1).instructions.push({ line, keyword, args });
    const from = /--from=(\S+)/.exec(args)?.[1];
    if (keyword === 'COPY' && from !== undefined && !stages.slice(0, -1).some((s) => s.name === from)) {
      problems.push(problem(DOCKERFILE, at, `COPY --from=${from}: no earlier stage named ${from}`));
    }
  }
  const final = stages.at(-1);
  if (stages.length < 2)
    problems.push(problem(DOCKERFILE, '', 'must be a multi-stage build (build, then runtime)'));
  if (final === undefined) return [...problems, problem(DOCKERFILE, '', 'no FROM')];
  if (final.image !== RUNTIME_BASE)
    problems.push(problem(DOCKERFILE, 'final stage', `must start FROM ${RUNTIME_BASE}, not ${final.image}`));
  const last = (keyword) => final.instructions.filter((i) => i.keyword === keyword).at(-1);
  if (last('USER')?.args !== RUNTIME_USER) {
    problems.push(
      problem(
        DOCKERFILE,
        'final stage',
        `must run as USER ${RUNTIME_USER} (non-root), runs as ${last('USER')?.args ?? 'root'}`,
      ),
    );
  }
  if (last('HEALTHCHECK') === undefined || /^NONE$/i.test(last('HEALTHCHECK').args)) {
    problems.push(problem(DOCKERFILE, 'final stage', 'needs a HEALTHCHECK'));
  }
  if (last('CMD') === undefined && last('ENTRYPOINT') === undefined)
    problems.push(problem(DOCKERFILE, 'final stage', 'needs a CMD'));
  return [...problems, ...checkDockerignore(root)];
}

function checkDockerignore(root) {
  const path = join(root, DOCKERIGNORE);
  if (!existsSync(path))
    return [problem(DOCKERIGNORE, '', 'missing: node_modules and dist would enter the build context')];
  const patterns = new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  const problems = [];
  for (const needed of ['**/node_modules', '**/dist']) {
    if (!patterns.has(needed)) problems.push(problem(DOCKERIGNORE, '', `must exclude ${needed}`));
  }
  for (const kept of ['deploy', 'deploy/docker', 'package.json', 'package-lock.json']) {
    if (patterns.has(kept))
      problems.push(problem(DOCKERIGNORE, '', `excludes ${kept}, which the build copies`));
  }
  return problems;
}
