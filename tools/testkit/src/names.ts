import { randomBytes } from 'node:crypto';

/** A channel name of its own for one test run (`t` + 10 hex), so runs never share streams. */
export function uniqueChannel(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** A unique suffix for names of databases, folders, consumers. */
export function uniqueSuffix(): string {
  return randomBytes(6).toString('hex');
}
