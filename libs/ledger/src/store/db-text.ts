/**
 * PostgreSQL text cannot hold U+0000, yet a state key (any string of 1-512 characters) or a
 * certificate's subject may: a peer must not halt on a valid transaction because its database
 * refuses a character. Keys and subjects are stored escaped: `\` → `\\`, U+0000 → `\0`.
 * Reversible and the identity for ordinary text (no backslash, no NUL).
 */
const NUL = String.fromCharCode(0);

export function toDbText(text: string): string {
  if (!text.includes('\\') && !text.includes(NUL)) return text;
  return text.replaceAll('\\', '\\\\').replaceAll(NUL, '\\0');
}

export function fromDbText(text: string): string {
  return text.includes('\\') ? text.replace(/\\([\\0])/g, (_, c: string) => (c === '\\' ? '\\' : NUL)) : text;
}

export function toDbTextOrNull(text: string | null): string | null {
  return text === null ? null : toDbText(text);
}

export function fromDbTextOrNull(text: string | null): string | null {
  return text === null ? null : fromDbText(text);
}
