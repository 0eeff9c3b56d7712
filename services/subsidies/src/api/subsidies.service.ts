/**
 * The service layer: each REST write is one ledger transaction through the gateway, running the
 * domain function of its action; reads go to the own peer's committed state and history. The
 * controllers only move path, query and body in and out.
 */
import { Inject, Injectable } from '@nestjs/common';
import { firstWriteOf, type Gateway, type KeyHistoryEntry, type TxLogic } from '@civic/gateway';
import {
  ApiError,
  CLOCK,
  GATEWAY,
  LOGGER,
  METRICS,
  newSalt,
  PRIVATE_STORE,
  saltedHash,
  SERVICE_CONFIG,
  submitMeasured,
  txRefOf,
  type Logger,
  type PrivateStore,
  type ServiceMetrics,
  type TxRef,
} from '@civic/service-kit';
import {
  aidRegisterView,
  type AidRegisterView,
  type ApplicationRecord,
  type ChainRef,
  dateOf,
  findSingleUndertaking,
  type GrantDecision,
  type GrantRecord,
  InvalidFieldError,
  keys,
  NAMESPACE,
  readRegisters,
  type RuleViolation,
  schemeBudgetView,
  type SchemeBudgetView,
  type SchemeRecord,
  SubsidiesAction,
  UNDERTAKING_COLLECTION,
  type UndertakingRecord,
  validate as v,
  windowEndingOn,
} from '../domain/index.js';
import type { SubsidiesConfig } from '../config.js';
import { violationError } from '../http/errors.js';
import { CREATOR_LOGIC } from '../ledger/endorsement-logic.js';

export type { TxRef };

/** A committed write as the client sees it. */
export type Committed<K extends string, T> = { readonly [P in K]: T } & { readonly tx: TxRef };

/** Where a record was written, with times, from the peer's history. */
export interface WriteRef extends ChainRef {
  readonly txTime: string;
  readonly blockTime: string;
  readonly creatorMspId: string;
}

/** Longest undertaking name kept in the private store. */
const NAME_CHARS_MAX = 300;

function refOf(entry: KeyHistoryEntry): WriteRef {
  return {
    block: entry.block,
    tx: entry.txIndex,
    txId: entry.txId,
    txTime: entry.txTime,
    blockTime: entry.blockTime,
    creatorMspId: entry.creatorMspId,
  };
}

/** The body as an object with the path's identifiers in it; a body that names another is refused. */
function withPath(body: unknown, path: Record<string, string>): Record<string, unknown> {
  const input = v.object(body, 'input');
  for (const [field, value] of Object.entries(path)) {
    if (input[field] !== undefined && input[field] !== value) {
      throw new InvalidFieldError(
        { field: `input.${field}`, value: input[field] },
        `must be ${JSON.stringify(value)} as in the path, or absent`,
      );
    }
  }
  return { ...input, ...path };
}

@Injectable()
export class SubsidiesService {
  constructor(
    @Inject(GATEWAY) private readonly gateway: Gateway,
    @Inject(PRIVATE_STORE) private readonly privateStore: PrivateStore,
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_CONFIG) private readonly config: SubsidiesConfig,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  get mspId(): string {
    return this.config.mspId;
  }

  // ---- writes --------------------------------------------------------------------------------

  registerScheme(body: unknown): Promise<Committed<'scheme', SchemeRecord>> {
    return this.#write('scheme', SubsidiesAction.REGISTER_SCHEME, body);
  }

  /**
   * Keeps the name in the private store (collection `undertakings`, subject = the KvK number,
   * with its salt); the chain gets `hex(SHA-256(salt ‖ JCS({name})))`. A new entry is stored
   * before the transaction, so that a committed hash always has its data, and removed again when
   * the transaction does not commit.
   */
  async registerUndertaking(body: unknown): Promise<Committed<'undertaking', UndertakingRecord>> {
    const input = v.object(body, 'input');
    const kvk = v.kvkNumber(input.kvk, 'input.kvk');
    const name = v.text(input.name, 'input.name', NAME_CHARS_MAX);
    const salt = newSalt();
    const entry = { subject: kvk, data: { name, salt } satisfies PrivateName };
    const existing = await this.privateStore.get<PrivateName>(UNDERTAKING_COLLECTION, kvk);
    if (existing === undefined) await this.privateStore.put(UNDERTAKING_COLLECTION, kvk, entry);
    let result: Committed<'undertaking', UndertakingRecord>;
    try {
      result = await this.#write('undertaking', SubsidiesAction.REGISTER_UNDERTAKING, {
        kvk,
        privateDataHash: saltedHash(salt, { name }),
        publicBody: input.publicBody ?? false,
      });
    } catch (error) {
      if (existing === undefined)
        await this.privateStore.delete(UNDERTAKING_COLLECTION, kvk).catch(() => false);
      throw error;
    }
    // A stale entry (a registration that never committed) is replaced once the chain has the new hash.
    if (existing !== undefined) await this.privateStore.put(UNDERTAKING_COLLECTION, kvk, entry);
    return result;
  }

  linkUndertakings(parentKvk: string, body: unknown) {
    return this.#write<'link', { parent: UndertakingRecord; child: UndertakingRecord }>(
      'link',
      SubsidiesAction.LINK_UNDERTAKINGS,
      withPath(body, { parentKvk }),
    );
  }

  unlinkUndertakings(parentKvk: string, childKvk: string, body: unknown) {
    return this.#write<'link', { parent: UndertakingRecord; child: UndertakingRecord }>(
      'link',
      SubsidiesAction.UNLINK_UNDERTAKINGS,
      withPath(body, { parentKvk, childKvk }),
    );
  }

  recordMerger(body: unknown) {
    return this.#write<'undertaking', UndertakingRecord>('undertaking', SubsidiesAction.RECORD_MERGER, body);
  }

  recordSplit(body: unknown) {
    return this.#write<'registers', unknown>('registers', SubsidiesAction.RECORD_SPLIT, body);
  }

  applyForGrant(schemeId: string, body: unknown) {
    return this.#write<'application', ApplicationRecord>(
      'application',
      SubsidiesAction.APPLY,
      withPath(body, { schemeId }),
    );
  }

  refuseApplication(schemeId: string, applicationId: string, body: unknown) {
    return this.#write<'application', ApplicationRecord>(
      'application',
      SubsidiesAction.REFUSE,
      withPath(body, { schemeId, applicationId }),
    );
  }

  /** A grant above the scheme's threshold goes as `grant-endorsed`, with its co-endorser's signature. */
  async decideGrant(schemeId: string, body: unknown): Promise<Committed<'decision', GrantDecision>> {
    return this.#write<'decision', GrantDecision>(
      'decision',
      SubsidiesAction.GRANT,
      withPath(body, { schemeId }),
      (decision) => ({
        action: decision.endorsement.action,
        endorsers: decision.endorsement.coEndorser === null ? [] : [decision.endorsement.coEndorser],
      }),
    );
  }

  recordPayment(schemeId: string, sequence: string, body: unknown) {
    return this.#write<'grant', GrantRecord>(
      'grant',
      SubsidiesAction.RECORD_PAYMENT,
      withPath(body, { grantId: `${schemeId}/${sequence}` }),
    );
  }

  recordRecovery(schemeId: string, sequence: string, body: unknown) {
    return this.#write<'grant', GrantRecord>(
      'grant',
      SubsidiesAction.RECORD_RECOVERY,
      withPath(body, { grantId: `${schemeId}/${sequence}` }),
    );
  }

  /** Erases every private entry about an undertaking, salts included (the chain stays valid). */
  async erasePrivateData(kvk: string): Promise<{ kvk: string; erased: boolean }> {
    return { kvk: v.kvkNumber(kvk, 'kvk'), erased: (await this.privateStore.eraseSubject(kvk)) > 0 };
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** The scheme's terms, budget used and left, and where it last changed. */
  async scheme(
    schemeId: string,
  ): Promise<{ scheme: SchemeRecord; budget: SchemeBudgetView; lastChange: WriteRef | null }> {
    const id = v.schemeId(schemeId, 'schemeId');
    const record = await this.gateway.reader(NAMESPACE).get<SchemeRecord>(keys.scheme(id));
    if (record === undefined)
      throw notFound('SCHEME_NOT_FOUND', `scheme ${id} is not registered`, keys.scheme(id));
    const [last] = (await this.gateway.peer.history(NAMESPACE, keys.scheme(id), { limit: 1 })).entries;
    return {
      scheme: record,
      budget: schemeBudgetView(record),
      lastChange: last === undefined ? null : refOf(last),
    };
  }

  /** A grant, with the block and transaction of its decision. */
  async grant(
    schemeId: string,
    sequence: string,
  ): Promise<{ grant: GrantRecord; decision: WriteRef | null }> {
    const grantId = v.grantId(`${schemeId}/${sequence}`, 'grantId');
    const record = await this.gateway.reader(NAMESPACE).get<GrantRecord>(keys.grant(grantId));
    if (record === undefined)
      throw notFound('GRANT_NOT_FOUND', `grant ${grantId} does not exist`, keys.grant(grantId));
    const first = await firstWriteOf(this.gateway.peer, NAMESPACE, keys.grant(grantId));
    return { grant: record, decision: first === null ? null : refOf(first) };
  }

  /** The undertaking's record; its name only when this organisation registered it and keeps it. */
  async undertaking(
    kvk: string,
    callerMspId: string,
  ): Promise<{ undertaking: UndertakingRecord; name: string | null }> {
    const id = v.kvkNumber(kvk, 'kvk');
    const record = await this.gateway.reader(NAMESPACE).get<UndertakingRecord>(keys.undertaking(id));
    if (record === undefined)
      throw notFound('UNDERTAKING_NOT_FOUND', `undertaking ${id} is not registered`, keys.undertaking(id));
    const own =
      callerMspId === this.mspId
        ? await this.privateStore.get<PrivateName>(UNDERTAKING_COLLECTION, id)
        : undefined;
    // The name only while it is the one the chain's hash was made from (not after an erasure).
    const matches =
      own !== undefined && saltedHash(own.data.salt, { name: own.data.name }) === record.privateDataHash;
    return { undertaking: record, name: matches ? own.data.name : null };
  }

  /**
   * The aid register of the single undertaking over the three-year window ending `asOf` (default
   * today): every grant to any member with who granted it, when, and in which block and
   * transaction (the first write of its `grant/<id>` key).
   */
  async aidRegister(
    kvk: string,
    asOf: string | undefined,
  ): Promise<AidRegisterView & { entries: AidViewEntry[] }> {
    const id = v.kvkNumber(kvk, 'kvk');
    const date = asOf === undefined ? dateOf(new Date(this.clock()).toISOString()) : v.isoDate(asOf, 'asOf');
    const reader = this.gateway.reader(NAMESPACE);
    const group = await findSingleUndertaking(reader, id);
    if (!group.ok) throw violationError(group.violation);
    const registers = [...(await readRegisters(reader, group.value.members)).values()];
    const window = windowEndingOn(date);
    const grantIds = new Set(
      registers.flatMap((r) =>
        r.entries.filter((e) => e.grantDate >= window.from && e.grantDate <= window.to).map((e) => e.grantId),
      ),
    );
    const writes = new Map<string, WriteRef | null>();
    await Promise.all(
      [...grantIds].map(async (grantId) => {
        const first = await firstWriteOf(this.gateway.peer, NAMESPACE, keys.grant(grantId));
        writes.set(grantId, first === null ? null : refOf(first));
      }),
    );
    const view = aidRegisterView({
      kvk: id,
      members: group.value.members,
      registers,
      asOf: date,
      refs: (grantId) => {
        const ref = writes.get(grantId);
        return ref ? { block: ref.block, tx: ref.tx, txId: ref.txId } : null;
      },
    });
    return {
      ...view,
      entries: view.entries.map((entry) => {
        const ref = writes.get(entry.grantId) ?? null;
        return { ...entry, decidedAt: ref?.txTime ?? null, committedAt: ref?.blockTime ?? null };
      }),
    };
  }

  // ---- the transaction path -----------------------------------------------------------------

  async #write<K extends string, T>(
    key: K,
    action: Exclude<SubsidiesAction, 'grant-endorsed'>,
    input: unknown,
    route?: (value: T) => { action?: string; endorsers?: readonly string[] },
  ): Promise<Committed<K, T>> {
    const outcome = await submitMeasured(this.gateway, this.metrics, this.logger, {
      namespace: NAMESPACE,
      action,
      input,
      logic: CREATOR_LOGIC[action] as TxLogic<unknown, T, RuleViolation>,
      ...(route ? { route } : {}),
    });
    if (outcome.status === 'REFUSED') throw violationError(outcome.violation);
    return { [key]: outcome.value, tx: txRefOf(outcome) } as Committed<K, T>;
  }
}

/** One entry of the aid view with its block/tx reference and times. */
export type AidViewEntry = AidRegisterView['entries'][number] & {
  readonly decidedAt: string | null;
  readonly committedAt: string | null;
};

function notFound(code: string, message: string, key: string): ApiError {
  return new ApiError(404, { code, rule: code, message, figures: { key } });
}

/** What the private store keeps of an undertaking: its name and the salt of the chain's hash. */
interface PrivateName {
  readonly name: string;
  readonly salt: string;
}
