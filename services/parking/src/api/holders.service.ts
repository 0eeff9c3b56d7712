/**
 * The municipality's holder administration: registration (personal data into the private store,
 * only the hid and a salted hash on the chain), looking a person's hid up, citizen tokens, death,
 * moves, and erasure. Every step that the rules refuse changes nothing, here or on the chain.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  ApiError,
  CLOCK,
  LOGGER,
  METRICS,
  newSalt,
  SERVICE_CONFIG,
  type Logger,
  type TxRef,
} from '@civic/service-kit';
import type { Signer } from '@civic/protocol';
import { mintHolderToken } from '../auth/holder-token.js';
import type { ParkingConfig } from '../config/parking-config.js';
import {
  canonicalPersonId,
  HolderStatus,
  inputObject,
  isMunicipality,
  keys,
  ParkingRuleViolation,
  parseHex64,
  preparePerson,
  PrivateCollection,
  type Address,
  type HolderRecord,
} from '../domain/index.js';
import { ParkingLedger } from '../ledger/parking-ledger.js';
import type { ParkingMetrics } from '../observability/metrics.js';
import type { ParkingPrivateStore } from '../private/parking-private-store.js';
import { PARKING_PRIVATE, SIGNER } from '../tokens.js';
import { writeWithPrivateData } from './private-writes.js';

export interface HolderAnswer {
  readonly holder: HolderRecord;
  readonly tx: TxRef;
}

@Injectable()
export class HoldersService {
  constructor(
    @Inject(ParkingLedger) private readonly ledger: ParkingLedger,
    @Inject(PARKING_PRIVATE) private readonly privateStore: ParkingPrivateStore,
    @Inject(SERVICE_CONFIG) private readonly config: ParkingConfig,
    @Inject(SIGNER) private readonly signer: Signer,
    @Inject(CLOCK) private readonly clock: () => number,
    @Inject(METRICS) private readonly metrics: ParkingMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Registers a person living here: the private store keeps who; the chain gets the hid. */
  async register(body: unknown): Promise<HolderAnswer> {
    this.#requireMunicipality('register holders');
    const input = inputObject(body, 'holder registration');
    const personId = canonicalPersonId(input.personId);
    const known = await this.#hidOf(personId);
    if (known !== null) {
      const holder = await this.ledger.read<HolderRecord>(keys.holder(known));
      if (holder !== undefined && holder.status === HolderStatus.ACTIVE) {
        throw new ParkingRuleViolation(
          'HOLDER_EXISTS',
          `this person is already registered (hid ${known.slice(0, 12)}…)`,
        );
      }
    }
    // A fresh salt per registration: a person registered again (after a move back) gets a new,
    // unlinkable hid.
    const prepared = preparePerson(newSalt(), {
      personId,
      name: input.name as string,
      address: input.address as Address,
    });
    const { value, tx } = await writeWithPrivateData<HolderRecord>(
      this.ledger,
      this.privateStore,
      prepared.writes,
      'holder.register',
      { hid: prepared.hid, personHash: prepared.personHash },
    );
    return { holder: value, tx };
  }

  /** The hid of a person registered by this municipality (the person id stays out of URLs). */
  async lookup(body: unknown): Promise<{ hid: string; status: string }> {
    this.#requireMunicipality('look up holders');
    const personId = canonicalPersonId(inputObject(body, 'holder lookup').personId);
    const hid = await this.#hidOf(personId);
    const holder = hid === null ? undefined : await this.ledger.read<HolderRecord>(keys.holder(hid));
    if (hid === null || holder === undefined) {
      throw new ParkingRuleViolation(
        'HOLDER_UNKNOWN',
        `this person is not registered as a holder in ${this.config.mspId}`,
      );
    }
    return { hid, status: holder.status };
  }

  /**
   * A citizen token for a person this municipality registered (its portal calls this after
   * authenticating the citizen): lets the citizen read their own records for a few minutes.
   */
  async holderToken(body: unknown): Promise<{ token: string; hid: string; expiresAt: string }> {
    const { hid } = await this.lookup(body);
    const nowMs = this.clock();
    const token = mintHolderToken(this.signer, hid, nowMs, this.config.holderTokenTtlMs);
    const expiresAt = new Date(Math.floor(nowMs / 1000) * 1000 + this.config.holderTokenTtlMs).toISOString();
    return { token, hid, expiresAt };
  }

  async reportDeath(hidParam: string, body: unknown): Promise<HolderAnswer> {
    const { diedOn } = inputObject(body, 'holder.death');
    const { value, tx } = await this.ledger.write<HolderRecord>('holder.death', {
      hid: this.#hid(hidParam),
      diedOn,
    });
    return { holder: value, tx };
  }

  async recordMove(hidParam: string, body: unknown): Promise<HolderAnswer> {
    const { movedOn } = inputObject(body, 'holder.move');
    const { value, tx } = await this.ledger.write<HolderRecord>('holder.move', {
      hid: this.#hid(hidParam),
      movedOn,
    });
    return { holder: value, tx };
  }

  /**
   * An erasure request (GDPR art. 17): checks the rules on the chain first (only the
   * municipality of registration erases), deletes every private record of the holder here (person,
   * salt, index, place addresses), then records `holder.erase`, whose event `holder.erased`
   * makes the Assessor's service delete the assessment details. Repeating a request whose
   * transaction already committed deletes what might remain and answers 409 HOLDER_ERASED.
   */
  async erase(hidParam: string): Promise<HolderAnswer & { privateRecordsErased: number }> {
    const hid = this.#hid(hidParam);
    try {
      await this.ledger.dryRun('holder.erase', { hid });
    } catch (error) {
      if (error instanceof ApiError && error.body.code === 'HOLDER_ERASED') await this.#erasePrivate(hid);
      throw error;
    }
    const erased = await this.#erasePrivate(hid);
    const { value, tx } = await this.ledger.write<HolderRecord>('holder.erase', { hid });
    this.metrics.erasures.inc({ step: 'chain' });
    this.logger.info({ hid, privateRecordsErased: erased, txId: tx.txId }, 'holder erased');
    return { holder: value, tx, privateRecordsErased: erased };
  }

  async #erasePrivate(hid: string): Promise<number> {
    const erased = await this.privateStore.erase(hid);
    this.metrics.erasures.inc({ step: 'private-store' });
    return erased;
  }

  async #hidOf(personId: string): Promise<string | null> {
    const entry = await this.privateStore.get(PrivateCollection.PERSON_INDEX, personId);
    return entry === undefined ? null : (entry.data as { hid: string }).hid;
  }

  #hid(value: string): string {
    return parseHex64(value, 'hid', 'HOLDER_ID_MALFORMED');
  }

  #requireMunicipality(action: string): void {
    if (!isMunicipality(this.config.mspId)) {
      throw new ParkingRuleViolation(
        'NOT_A_MUNICIPALITY',
        `${this.config.mspId} is not a municipality and may not ${action}`,
      );
    }
  }
}
