/**
 * The proof checker page: reads a proof (pasted, dropped or chosen), checks it with
 * @civic/client's verifyTxProof (browser build: no network, no node: modules) and says whether
 * it verifies, and why not. Everything shown is set as text, never as HTML.
 */
import { verifyTxProof, type PeerKey, type TxProofCheck, type TxProofOptions } from '@civic/client/browser';

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from the page`);
  return element as T;
};

const proofInput = $<HTMLTextAreaElement>('proof');
const keyInput = $<HTMLTextAreaElement>('peer-key');
const hashInput = $<HTMLInputElement>('trusted-hash');
const result = $<HTMLElement>('result');
const drop = $<HTMLElement>('drop');

/** A proof file is small; a larger one is not a proof (and would freeze the page). */
const PROOF_BYTES_MAX = 4 * 1024 * 1024;

function peerKey(text: string): PeerKey | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^[0-9a-f]{64}$/.test(trimmed)) return { publicKey: trimmed };
  const base64 = trimmed.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return { cert: base64 };
}

function options(blockNumber: number | null): TxProofOptions {
  const key = peerKey(keyInput.value);
  const hash = hashInput.value.trim();
  return {
    ...(key === undefined ? {} : { checkpointKey: key }),
    ...(hash === '' || blockNumber === null ? {} : { trustedBlockHashes: { [blockNumber]: hash } }),
  };
}

function blockNumberOf(text: string): number | null {
  try {
    const value = JSON.parse(text) as { blockNumber?: unknown; block?: unknown };
    const n = value.blockNumber ?? value.block;
    return typeof n === 'number' ? n : null;
  } catch {
    return null;
  }
}

function row(list: HTMLElement, term: string, value: string): void {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

function show(check: TxProofCheck): void {
  result.replaceChildren();
  const heading = document.createElement('strong');
  const list = document.createElement('dl');
  if (!check.ok) {
    result.dataset.status = 'failed';
    heading.id = 'verdict';
    heading.textContent = '✘ This proof does not verify.';
    row(list, 'Failed check', check.failure);
    row(list, 'Reason', check.reason);
    result.append(heading, list);
    return;
  }
  const { proof } = check;
  result.dataset.status = 'verified';
  heading.id = 'verdict';
  heading.textContent = '✔ Verified: this transaction is in the block it names.';
  row(list, 'Transaction', proof.txId);
  row(
    list,
    'Block',
    `${proof.blockNumber} of channel ${proof.channel} (transaction ${proof.txIndex + 1} of ${proof.treeSize})`,
  );
  row(list, 'Block hash', proof.blockHash);
  row(list, 'Block time', proof.header.time);
  if (proof.envelope !== undefined) {
    const p = proof.envelope.payload;
    row(list, 'What', `${p.namespace} / ${p.action}, by ${p.creator.mspId}, at ${p.txTime}`);
  }
  row(list, 'Code', proof.code === undefined ? '(not given)' : `${proof.code} (as the peer says)`);
  row(
    list,
    'Anchored',
    check.anchor === null
      ? 'no: the block itself is not tied to a checkpoint or hash you trust (see "What you trust")'
      : check.anchor.by === 'checkpoint'
        ? `to the signed checkpoint of ${check.anchor.peerId} at block ${check.anchor.height}`
        : 'to the block hash you trust',
  );
  for (const note of check.notes) row(list, 'Note', note);
  result.append(heading, list);
}

function run(): void {
  const text = proofInput.value;
  if (text.trim() === '') {
    show({ ok: false, failure: 'MALFORMED', reason: 'paste or drop a proof first' });
    return;
  }
  show(verifyTxProof(text, options(blockNumberOf(text))));
}

async function load(file: File): Promise<void> {
  if (file.size > PROOF_BYTES_MAX) {
    show({
      ok: false,
      failure: 'MALFORMED',
      reason: `${file.name} is ${file.size} bytes: too large to be a proof`,
    });
    return;
  }
  proofInput.value = await file.text();
  run();
}

$<HTMLButtonElement>('check').addEventListener('click', run);
$<HTMLInputElement>('file').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void load(file);
});
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) void load(file);
});
