import { Worker } from 'node:worker_threads';
import {
  InlineSignatureVerifier,
  type SignatureCheck,
  type SignatureVerifier,
} from './signature-verifier.js';

/**
 * Ed25519 verification on a pool of worker threads: node:crypto verifies ~5k signatures per
 * second per core, which makes signatures the CPU bottleneck of a commit. Checks are packed
 * into one transferable buffer per worker (no structured clone of thousands of objects).
 *
 * The worker is plain JavaScript evaluated from a string, with node:crypto as its only import:
 * it runs the same from sources (tests) and from dist, and there is no file path to resolve.
 */

export interface VerifierPoolOptions {
  /** Worker threads; more than the cores only adds contention. */
  readonly workers: number;
  /**
   * Below this many checks a batch is verified inline: posting to a worker costs ~50-100 µs,
   * about the price of a dozen verifications.
   */
  readonly inlineBelow?: number;
}

const MESSAGE_BYTES = 32;
const SIGNATURE_BYTES = 64;
const PUBLIC_KEY_BYTES = 32;
const CHECK_BYTES = MESSAGE_BYTES + SIGNATURE_BYTES + PUBLIC_KEY_BYTES;
/** Bound on one batch: a block holds at most a few thousand signatures. */
const CHECKS_PER_BATCH_MAX = 1_000_000;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const KEYS_MAX = 4096;
const keys = new Map();
function keyOf(raw) {
  const id = raw.toString('hex');
  let key = keys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (keys.size >= KEYS_MAX) keys.delete(keys.keys().next().value);
    keys.set(id, key);
  }
  return key;
}
parentPort.on('message', ({ id, packed, count }) => {
  const bytes = Buffer.from(packed);
  const results = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * ${CHECK_BYTES};
    const message = bytes.subarray(at, at + ${MESSAGE_BYTES});
    const signature = bytes.subarray(at + ${MESSAGE_BYTES}, at + ${MESSAGE_BYTES + SIGNATURE_BYTES});
    const publicKey = bytes.subarray(at + ${MESSAGE_BYTES + SIGNATURE_BYTES}, at + ${CHECK_BYTES});
    try {
      results[i] = verify(null, message, keyOf(publicKey), signature) ? 1 : 0;
    } catch {
      results[i] = 0;
    }
  }
  parentPort.postMessage({ id, results }, [results.buffer]);
});
`;

function hasRightLengths(check: SignatureCheck): boolean {
  return (
    check.message.byteLength === MESSAGE_BYTES &&
    check.signature.byteLength === SIGNATURE_BYTES &&
    check.publicKey.byteLength === PUBLIC_KEY_BYTES
  );
}

interface Pending {
  resolve(results: Uint8Array): void;
  reject(error: unknown): void;
}

export class VerifierPool implements SignatureVerifier {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, Pending>();
  readonly #inline = new InlineSignatureVerifier();
  readonly #inlineBelow: number;
  #nextId = 0;
  #failure: Error | undefined;

  constructor(options: VerifierPoolOptions) {
    if (!Number.isSafeInteger(options.workers) || options.workers < 1 || options.workers > 64) {
      throw new RangeError(`VerifierPool: workers must be 1..64, got ${options.workers}`);
    }
    this.#inlineBelow = options.inlineBelow ?? 64;
    this.#workers = Array.from({ length: options.workers }, () => this.#spawn());
  }

  #spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      pending?.resolve(results);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) this.#fail(new Error(`signature worker exited with code ${code}`));
    });
    return worker;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  async verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    if (checks.length > CHECKS_PER_BATCH_MAX)
      throw new RangeError(`verifyAll: more than ${CHECKS_PER_BATCH_MAX} checks`);
    if (checks.length < this.#inlineBelow) return this.#inline.verifyAll(checks);
    if (this.#failure) throw this.#failure;
    // A check with wrong lengths cannot verify; it is answered false here and never packed.
    const wellFormed = checks.filter(hasRightLengths);
    const chunk = Math.ceil(wellFormed.length / this.#workers.length);
    const parts: Promise<Uint8Array>[] = [];
    for (let w = 0; w * chunk < wellFormed.length; w++) {
      parts.push(this.#run(this.#workers[w] as Worker, wellFormed.slice(w * chunk, (w + 1) * chunk)));
    }
    const verified = (await Promise.all(parts)).flatMap((part) => Array.from(part, (bit) => bit === 1));
    let next = 0;
    return checks.map((check) => (hasRightLengths(check) ? (verified[next++] as boolean) : false));
  }

  #run(worker: Worker, checks: readonly SignatureCheck[]): Promise<Uint8Array> {
    const packed = new Uint8Array(checks.length * CHECK_BYTES);
    checks.forEach((check, i) => {
      const at = i * CHECK_BYTES;
      packed.set(check.message, at);
      packed.set(check.signature, at + MESSAGE_BYTES);
      packed.set(check.publicKey, at + MESSAGE_BYTES + SIGNATURE_BYTES);
    });
    const id = this.#nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, packed: packed.buffer, count: checks.length }, [packed.buffer]);
    });
  }

  async close(): Promise<void> {
    this.#fail(new Error('verifier pool closed'));
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
