#!/usr/bin/env node
// civic-deploy-check [--root DIR] [--no-install]: validates docker-compose.yml and deploy/k8s.
// Prints one line per check and one per problem; exits 1 when anything is wrong, 2 on bad usage.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem, validateAll } from './index.mjs';

let options;
try {
  ({ values: options } = parseArgs({
    options: { root: { type: 'string', default: '.' }, 'no-install': { type: 'boolean', default: false } },
  }));
} catch (error) {
  console.error(
    `civic-deploy-check: ${error.message}\nusage: civic-deploy-check [--root DIR] [--no-install]`,
  );
  process.exit(2);
}

const root = resolve(options.root);
const sections = await validateAll(root, { install: !options['no-install'] });
let failed = 0;
for (const { name, summary, problems } of sections) {
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}: ${summary}`);
  for (const found of problems) console.log(`     ${formatProblem(found)}`);
  failed += problems.length;
}
console.log(
  failed === 0 ? 'deployment artefacts are valid' : `${failed} problem(s) in the deployment artefacts`,
);
process.exitCode = failed === 0 ? 0 : 1;
