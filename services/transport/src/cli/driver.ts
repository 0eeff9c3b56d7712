/**
 * Development tool for drivers (docs/transport.md#drivers): a card holder's key pair and the
 * tokens it signs. In production the key lives on the driver card and RDW registers its public
 * key when it issues the card; here a key file stands in for the card.
 *
 *   node dist/cli/driver.js keygen --out driver.key.json    → prints the public key (give it to RDW: driverKey)
 *   node dist/cli/driver.js token --key driver.key.json --card NB00000000001100 [--ttl-min 10]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fromHex, generateKeyPair, keyPairFromSeed, toHex } from '@civic/protocol';
import { mintDriverToken } from '../auth/driver-token.js';
import { parseCardNumber } from '../domain/index.js';

const USAGE = `usage:
  driver keygen --out FILE
  driver token --key FILE --card CARD_NUMBER [--ttl-min 1..15] [--audience transport]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(argv: readonly string[]): void {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      out: { type: 'string' },
      key: { type: 'string' },
      card: { type: 'string' },
      'ttl-min': { type: 'string', default: '10' },
      audience: { type: 'string', default: 'transport' },
    },
  });
  if (command === 'keygen') {
    if (values.out === undefined) fail('keygen needs --out');
    const key = generateKeyPair();
    writeFileSync(
      values.out,
      `${JSON.stringify({ seed: toHex(key.seed), publicKey: toHex(key.publicKey) })}\n`,
      { mode: 0o600 },
    );
    process.stdout.write(`${toHex(key.publicKey)}\n`);
    return;
  }
  if (command === 'token') {
    if (values.key === undefined || values.card === undefined) fail('token needs --key and --card');
    const file = JSON.parse(readFileSync(values.key, 'utf8')) as { seed?: unknown };
    if (typeof file.seed !== 'string') fail(`${values.key} has no seed`);
    const ttlMin = Number(values['ttl-min']);
    if (!Number.isInteger(ttlMin) || ttlMin < 1 || ttlMin > 15) fail('--ttl-min must be 1 to 15');
    const token = mintDriverToken({
      cardNumber: parseCardNumber(values.card),
      key: keyPairFromSeed(fromHex(file.seed)),
      audience: values.audience!,
      ttlMs: ttlMin * 60_000,
      nowMs: Date.now(),
    });
    process.stdout.write(`${token}\n`);
    return;
  }
  fail(`unknown command ${String(command)}`);
}

main(process.argv.slice(2));
