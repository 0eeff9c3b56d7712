import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite data folder for a test, fast: PGlite's initdb takes 2-12 s, copying an
 * initialised folder well under one. The template is made once per machine and PGlite
 * version (in the temp folder, published by an atomic rename so parallel test files never see
 * half of it) and copied for every caller. Tests only: production peers initialise their own.
 */
const TEMPLATE_VERSION = 'pglite-0.5-v1';

export async function freshPgliteDir(parent: string): Promise<string> {
  const template = join(tmpdir(), `civic-${TEMPLATE_VERSION}-template`);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    const building = mkdtempSync(join(tmpdir(), 'civic-pglite-build-'));
    const db = await PGlite.create(join(building, 'pg'));
    await db.close();
    try {
      renameSync(join(building, 'pg'), template);
    } catch {
      // Another test file published it first: use theirs.
    }
    rmSync(building, { recursive: true, force: true });
  }
  const target = mkdtempSync(join(parent, 'pg-'));
  cpSync(template, target, { recursive: true });
  return target;
}
