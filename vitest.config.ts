import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One runner for the whole workspace: each library, service and tool is a Vitest project, so
// `npm test` prints one report (and .ci/run one "N passed, N failed" line) for everything.
// The `@civic/source` export condition makes workspace packages resolve to their TypeScript
// sources, so unit tests never run against a stale build. Multi-process tests start the built
// programs (`npm test` builds first).
// Vitest hands these to Node as --conditions for external packages too, where they also apply to
// require(): 'import' there made pg's require('pg-pool') load pg-pool's ESM build and fail, so
// only conditions that are right for both import and require are listed (Vite adds import itself).
const sourceConditions = ['@civic/source', 'node', 'default'];

// Found relative to this file, so that `vitest --root ../..` from a package works as well.
const workspaceRoot = import.meta.dirname;
const projectDirs = ['libs', 'services', 'tools'].flatMap((group) =>
  readdirSync(join(workspaceRoot, group), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(workspaceRoot, group, entry.name, 'package.json')),
    )
    .map((entry) => `${group}/${entry.name}`),
);

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@civic/source'] } },
  test: {
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir,
        root: join(workspaceRoot, dir),
        include: ['test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
