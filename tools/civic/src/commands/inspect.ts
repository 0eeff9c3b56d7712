import type { Command } from 'commander';
import {
  blockHashOf,
  parseCertificate,
  verifyEnvelopes,
  type Block,
  type Envelope,
  type WriteEntry,
} from '@civic/protocol';
import { formatSubject, type ChannelConfig } from '@civic/identity';
import type { CommandContext } from '../main.js';
import { readBlockFile } from '../block-file.js';
import { abbreviate, formatFields, runAction, type Output } from '../output.js';

/** How many reads or writes of one envelope are listed before "… and n more". */
const ENTRIES_SHOWN_MAX = 8;
/** How many characters of a written value are shown. */
const VALUE_CHARS_MAX = 72;

/** `civic inspect FILE [--json]`: what a block holds, for people. */
export function registerInspect(program: Command, context: CommandContext): void {
  program
    .command('inspect')
    .description('print what a block file holds: header, hashes, envelopes, metadata')
    .argument('<file>', 'block file (JSON)')
    .option('--json', 'print the whole block as indented JSON instead')
    .action(async (file: string, options: { json?: boolean }) => {
      context.exitCode = await runAction(context.output, () => {
        const block = readBlockFile(file, false);
        if (options.json) context.output.line(JSON.stringify(block, null, 2));
        else printBlock(context.output, block);
      });
    });
}

/** `CN=…, OU=…, O=…` of a certificate, or why it cannot be read. */
export function subjectOf(cert: string): string {
  try {
    return formatSubject(parseCertificate(cert).subject);
  } catch (error) {
    return `(unreadable certificate: ${(error as Error).message})`;
  }
}

function summarize(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length <= VALUE_CHARS_MAX ? text : `${text.slice(0, VALUE_CHARS_MAX)}…`;
}

function listed<T>(entries: readonly T[], show: (entry: T) => string): string {
  if (entries.length === 0) return '(none)';
  const shown = entries.slice(0, ENTRIES_SHOWN_MAX).map(show);
  if (entries.length > ENTRIES_SHOWN_MAX) shown.push(`… and ${entries.length - ENTRIES_SHOWN_MAX} more`);
  return shown.join('; ');
}

function describeWrite(envelope: Envelope, write: WriteEntry): string {
  if ('delete' in write) return `${write.key} (delete)`;
  if (envelope.payload.type === 'config') {
    const config = write.value as ChannelConfig;
    const orgs = Array.isArray(config.organizations) ? config.organizations.length : '?';
    const consenters = Array.isArray(config.consenters)
      ? config.consenters.map((c) => c.nodeId).join(', ')
      : '?';
    return `${write.key} = channel config sequence ${config.sequence}, ${orgs} organisations, consenters ${consenters}`;
  }
  return `${write.key} = ${summarize(write.value)}`;
}

export function printBlock(out: Output, block: Block): void {
  const { header, metadata } = block;
  out.line(`Block ${header.number} of channel ${header.channel}`);
  out.line(
    formatFields(
      [
        ['blockHash', blockHashOf(header)],
        ['previousHash', header.previousHash],
        ['dataHash', header.dataHash],
        ['time', header.time],
        ['txCount', String(header.txCount)],
      ],
      '  ',
    ),
  );
  const reports = verifyEnvelopes(block);
  block.envelopes.forEach((envelope, i) => {
    const { payload } = envelope;
    const report = reports[i]!;
    out.line('');
    out.line(`Envelope ${i}: ${report.txId}`);
    out.line(
      formatFields(
        [
          ['type', `${payload.type}  namespace ${payload.namespace}  action ${payload.action}`],
          ['creator', `${payload.creator.mspId}: ${subjectOf(payload.creator.cert)}`],
          ['txTime', payload.txTime],
          ['nonce', abbreviate(payload.nonce)],
          ['reads', listed(payload.reads, (r) => `${r.key}@${r.version ?? 'absent'}`)],
          ['writes', listed(payload.writes, (w) => describeWrite(envelope, w))],
          ['event', `${payload.event.type} ${summarize(payload.event.data)}`],
          ...(payload.private
            ? [['private', listed(payload.private, (p) => `${p.collection}/${p.key}`)] as [string, string]]
            : []),
          ['endorsers', listed(envelope.endorsements, (e) => `${e.mspId}: ${subjectOf(e.cert)}`)],
          [
            'signatures',
            `creator ${report.creatorSignatureOk ? 'ok' : 'BAD'}${report.endorsements.map((e, j) => `, endorsement ${j} ${e.signatureOk ? 'ok' : 'BAD'}`).join('')}`,
          ],
        ],
        '  ',
      ),
    );
  });
  out.line('');
  out.line('Metadata');
  out.line(
    formatFields(
      [
        ['raft', `term ${metadata.raft.term}, index ${metadata.raft.index}`],
        ['configNumber', String(metadata.configNumber)],
        [
          'signatures',
          listed(
            metadata.signatures,
            (s) => `${s.nodeId} (${s.mspId}: ${subjectOf(s.cert)}) ${abbreviate(s.signature)}`,
          ),
        ],
      ],
      '  ',
    ),
  );
}
