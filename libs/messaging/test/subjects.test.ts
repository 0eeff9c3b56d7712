import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  InvalidNameError,
  NameKind,
  QueueGroup,
  assertName,
  isValidName,
  streamNames,
  subjects,
} from '../src/index.js';

const channelArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,47}$/);
const nodeIdArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,63}$/);
const mspIdArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,63}$/);
const namespaceArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,63}$/);
const eventTypeArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}(\.[A-Za-z0-9_-]{1,12}){0,3}$/);

/** A concrete NATS subject: non-empty tokens, no wildcards, no whitespace. */
function isConcreteSubject(subject: string): boolean {
  return subject.split('.').every((token) => token.length > 0 && !/[\s*>]/.test(token));
}

describe('subjects', () => {
  it('builds every subject of DESIGN.md for a channel', () => {
    const s = subjects('subsidies');
    expect(s.txSubmit).toBe('civic.subsidies.tx.submit');
    expect(s.txForward('orderer-2')).toBe('civic.subsidies.tx.forward.orderer-2');
    expect(s.raft('orderer-1')).toBe('civic.subsidies.raft.orderer-1');
    expect(s.raftAll).toBe('civic.subsidies.raft.*');
    expect(s.deliver).toBe('civic.subsidies.deliver');
    expect(s.blocks).toBe('civic.subsidies.blocks');
    expect(s.commits('peer-a')).toBe('civic.subsidies.commits.peer-a');
    expect(s.commitsAll).toBe('civic.subsidies.commits.>');
    expect(s.events('grants', 'grant.approved')).toBe('civic.subsidies.events.grants.grant.approved');
    expect(s.eventsOf('grants')).toBe('civic.subsidies.events.grants.>');
    expect(s.eventsAll).toBe('civic.subsidies.events.>');
    expect(s.endorse('MunicipalityUtrecht')).toBe('civic.subsidies.endorse.MunicipalityUtrecht');
    expect(s.query('peer-a')).toBe('civic.subsidies.query.peer-a');
    expect(QueueGroup.ORDERERS).toBe('orderers');
  });

  it('names the streams CIVIC_<CHANNEL>_<KIND>, uppercased, with - turned into _', () => {
    expect(streamNames('civic-main')).toEqual({
      blocks: 'CIVIC_CIVIC_MAIN_BLOCKS',
      commits: 'CIVIC_CIVIC_MAIN_COMMITS',
      events: 'CIVIC_CIVIC_MAIN_EVENTS',
    });
    expect(subjects('a1').streams.blocks).toBe('CIVIC_A1_BLOCKS');
  });

  it('refuses bad names with InvalidNameError naming the kind and value', () => {
    expect(() => subjects('Sub')).toThrow(InvalidNameError);
    expect(() => subjects('a.b')).toThrow(/invalid channel "a.b"/);
    expect(() => subjects('')).toThrow(InvalidNameError);
    expect(() => subjects('x'.repeat(49))).toThrow(InvalidNameError);
    const s = subjects('ch');
    expect(() => s.raft('node.1')).toThrow(/invalid nodeId/);
    expect(() => s.raft('*')).toThrow(InvalidNameError);
    expect(() => s.txForward('a.b')).toThrow(/invalid nodeId/);
    expect(() => s.commits('>')).toThrow(/invalid peerId/);
    expect(() => s.endorse('9org')).toThrow(/invalid mspId/);
    expect(() => s.events('Grants', 'x')).toThrow(/invalid namespace/);
    expect(() => s.events('grants', 'a..b')).toThrow(/invalid eventType/);
    expect(() => s.events('grants', 'a.*')).toThrow(InvalidNameError);
    expect(() => s.events('grants', 'a b')).toThrow(InvalidNameError);
    expect(() => s.query('peer one')).toThrow(InvalidNameError);
    expect(() => assertName(NameKind.CHANNEL, 42)).toThrow(/invalid channel "42"/);
    expect(() => assertName(NameKind.DURABLE, 'a.b')).toThrow(/invalid durable/);
    const error = (() => {
      try {
        s.raft('A');
      } catch (err) {
        return err as InvalidNameError;
      }
    })();
    expect(error?.name).toBe('InvalidNameError');
    expect(error?.kind).toBe('nodeId');
    expect(error?.value).toBe('A');
  });

  it('limits event types to 128 characters and 8 tokens', () => {
    expect(isValidName(NameKind.EVENT_TYPE, 'a.b.c.d.e.f.g.h')).toBe(true);
    expect(isValidName(NameKind.EVENT_TYPE, 'a.b.c.d.e.f.g.h.i')).toBe(false);
    expect(isValidName(NameKind.EVENT_TYPE, `${'a'.repeat(64)}.${'b'.repeat(64)}`)).toBe(false);
  });

  it('makes concrete subjects with exactly one token per name, for any valid names', () => {
    fc.assert(
      fc.property(
        channelArb,
        nodeIdArb,
        mspIdArb,
        namespaceArb,
        eventTypeArb,
        (channel, node, msp, ns, type) => {
          const s = subjects(channel);
          for (const subject of [
            s.txSubmit,
            s.txForward(node),
            s.raft(node),
            s.deliver,
            s.blocks,
            s.commits(node),
            s.endorse(msp),
            s.query(node),
          ]) {
            expect(isConcreteSubject(subject)).toBe(true);
            expect(subject.split('.')[1]).toBe(channel);
          }
          expect(s.raft(node).split('.')).toHaveLength(4);
          const event = s.events(ns, type);
          expect(isConcreteSubject(event)).toBe(true);
          expect(event.split('.').slice(4).join('.')).toBe(type);
        },
      ),
    );
  });

  it('gives distinct channels distinct stream names', () => {
    fc.assert(
      fc.property(channelArb, channelArb, (a, b) => {
        fc.pre(a !== b);
        expect(streamNames(a).blocks).not.toBe(streamNames(b).blocks);
      }),
    );
  });

  it('refuses every name with a character outside its grammar', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (value) => {
        fc.pre(/[^a-z0-9-]/.test(value));
        expect(isValidName(NameKind.CHANNEL, value)).toBe(false);
        expect(isValidName(NameKind.NODE_ID, value)).toBe(false);
      }),
    );
  });
});
