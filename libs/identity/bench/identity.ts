/**
 * Figures for the identity hot paths: resolving a creator (cached chain vs. first sight of a
 * certificate), evaluating typical policies, validating a config. Prints what this run
 * measured; asserts nothing.
 *
 *   npm run build && npm run bench -w @civic/identity
 */
import { performance } from 'node:perf_hooks';
import {
  applicationOrgs,
  configIssues,
  createNetwork,
  devNetworkSpec,
  endorsementPolicy,
  evaluatePolicy,
  resolveIdentity,
  seededKeySource,
} from '@civic/identity';

function measure(label: string, iterations: number, run: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(iterations, 200); i++) run(i); // warm up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) run(i);
  const ms = performance.now() - start;
  const perSecond = Math.round((iterations / ms) * 1000);
  console.log(
    `${label.padEnd(58)} ${String(perSecond).padStart(10)} /s   ${((ms * 1000) / iterations).toFixed(2).padStart(8)} µs each`,
  );
  return perSecond;
}

const timeMs = Date.UTC(2026, 2, 1);
const built = performance.now();
const { network } = createNetwork(devNetworkSpec(), { timeMs, keys: seededKeySource('bench') });
console.log(
  `dev network built (${network.identities.size} identities, 9 CAs, genesis) in ${(performance.now() - built).toFixed(0)} ms\n`,
);

const { config } = network;
const creator = network.identities.get('utrecht-parking')!;
const claim = { mspId: creator.mspId, cert: creator.cert };

const warm = measure('resolveIdentity, chain cached (hot path)', 200_000, () =>
  resolveIdentity(config, claim, timeMs),
);
// A fresh config object has a fresh cache: every call parses and verifies the chain.
const cold = measure('resolveIdentity, first sight (parse + verify chain)', 5_000, () =>
  resolveIdentity({ ...config }, claim, timeMs),
);
console.log(`  cached / first sight: ${(warm / cold).toFixed(1)}x\n`);

const ctx = { applicationOrgs: applicationOrgs(config) };
const signer = (name: string) => {
  const id = network.identities.get(name)!;
  return { mspId: id.mspId, role: id.role, id: name };
};
const cardIssue = endorsementPolicy(config, 'parking', 'card.issue')!;
measure('evaluatePolicy card.issue (municipality AND assessor)', 200_000, () =>
  evaluatePolicy(cardIssue, [signer('amsterdam-parking'), signer('assessor-parking')], ctx),
);
const admins = ['rvo-admin', 'utrecht-admin', 'amsterdam-admin', 'ilt-admin', 'rdw-admin'].map(signer);
measure('evaluatePolicy MAJORITY admin (5 of 8 organisations)', 200_000, () =>
  evaluatePolicy(config.policies.admins, admins, ctx),
);
measure('evaluatePolicy MAJORITY admin, 4 of 8 (fails: full search)', 200_000, () =>
  evaluatePolicy(config.policies.admins, admins.slice(0, 4), ctx),
);
measure('configIssues of the dev network config (fresh object)', 500, () =>
  configIssues(structuredClone(config)),
);
