/**
 * The roadside check (docs/parking.md#roadside-check): two or three point reads from the own
 * peer, the domain's pure `checkCard`/`checkPlate`, the proof of every record read (cached by
 * version), and the check queued for the holder's access log. No transaction on the officer's
 * path: the answer is as fast as the peer's reads.
 */
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Caller, Gateway, VersionedValue } from '@civic/gateway';
import { ApiError, BatchQueueFullError, CLOCK, GATEWAY, METRICS, SERVICE_CONFIG } from '@civic/service-kit';
import type { ParkingConfig } from '../config/parking-config.js';
import {
  checkCard,
  checkPlate,
  isEnforcement,
  keys,
  normalisePlate,
  officerRef,
  PARKING_NAMESPACE,
  ParkingRuleViolation,
  parseArea,
  parseCardNumber,
  type CardRecord,
  type CheckResult,
  type HolderRecord,
  type PlaceRecord,
} from '../domain/index.js';
import type { RecordProof, RecordProofs } from '../ledger/record-proofs.js';
import type { ParkingMetrics } from '../observability/metrics.js';
import type { ParkingPrivateStore } from '../private/parking-private-store.js';
import { PARKING_PRIVATE, RECORD_PROOFS } from '../tokens.js';

import { CheckLogService } from './check-log.service.js';

export interface CheckAnswer {
  readonly check: CheckResult;
  readonly checkedAt: string;
  readonly checker: string;
  readonly area: string;
  /** The peer that answered and the proof of every record the answer rests on. */
  readonly proof: { readonly peerId: string; readonly records: readonly RecordProof[] };
}

interface Read<T> {
  readonly key: string;
  readonly entry: VersionedValue | null;
  readonly value: T | undefined;
}

/**
 * Card numbers whose holder is known (a card's hid never changes once issued): a warm check reads
 * the card and the holder at once instead of one after the other. About 150 bytes an entry.
 */
export const CARD_HOLDER_CACHE_MAX = 100_000;

@Injectable()
export class RoadsideChecks implements OnApplicationBootstrap {
  #officerSalt: string | null = null;
  readonly #holderOfCard = new Map<string, string>();

  constructor(
    @Inject(GATEWAY) private readonly gateway: Gateway,
    @Inject(RECORD_PROOFS) private readonly proofs: RecordProofs,
    @Inject(CheckLogService) private readonly checkLog: CheckLogService,
    @Inject(PARKING_PRIVATE) private readonly privateStore: ParkingPrivateStore,
    @Inject(SERVICE_CONFIG) private readonly config: ParkingConfig,
    @Inject(METRICS) private readonly metrics: ParkingMetrics,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (isEnforcement(this.config.mspId))
      this.#officerSalt = await this.privateStore.officerSalt(this.config.mspId);
  }

  async card(rawNumber: string, rawArea: string | undefined, caller: Caller): Promise<CheckAnswer> {
    const started = performance.now();
    this.#requireEnforcement();
    const { cardNumber } = parseCardNumber(rawNumber);
    const area = this.#area(rawArea);
    const checkedAt = new Date(this.clock()).toISOString();
    const { card, holder } = await this.#cardAndHolder(cardNumber);
    const check = checkCard(card.value, holder?.value, checkedAt);
    return this.#answer('card', cardNumber, check, [card, holder], { checkedAt, area, caller, started });
  }

  async plate(rawPlate: string, rawArea: string | undefined, caller: Caller): Promise<CheckAnswer> {
    const started = performance.now();
    this.#requireEnforcement();
    const { plate } = normalisePlate(rawPlate);
    const area = this.#area(rawArea);
    const checkedAt = new Date(this.clock()).toISOString();
    const place = await this.#read<PlaceRecord>(keys.plate(plate));
    const [card, holder] =
      place.value === undefined
        ? [null, null]
        : await Promise.all([
            this.#read<CardRecord>(keys.card(place.value.cardNumber)),
            this.#read<HolderRecord>(keys.holder(place.value.hid)),
          ]);
    const check = checkPlate(place.value, card?.value, holder?.value, checkedAt);
    return this.#answer('plate', plate, check, [place, card, holder], { checkedAt, area, caller, started });
  }

  async #answer(
    via: 'card' | 'plate',
    subject: string,
    check: CheckResult,
    reads: readonly (Read<unknown> | null)[],
    at: { checkedAt: string; area: string; caller: Caller; started: number },
  ): Promise<CheckAnswer> {
    const found = reads.filter(
      (r): r is Read<unknown> & { entry: VersionedValue } => r !== null && r.entry !== null,
    );
    const records = await Promise.all(found.map((r) => this.proofs.of(r.key, r.entry.version)));
    try {
      this.checkLog.enqueue({
        via,
        subject,
        checkedAt: at.checkedAt,
        officerRef: officerRef(this.#officerSalt!, at.caller.commonName),
        area: at.area,
        status: check.status,
        reason: check.reason,
      });
    } catch (error) {
      if (error instanceof BatchQueueFullError) {
        throw new ApiError(503, { code: 'ACCESS_LOG_BACKLOG', message: error.message }, { cause: error });
      }
      throw error;
    }
    this.metrics.checks.inc({ via, status: check.status });
    this.metrics.checkSeconds.observe({ via }, (performance.now() - at.started) / 1000);
    return {
      check,
      checkedAt: at.checkedAt,
      checker: this.config.mspId,
      area: at.area,
      proof: { peerId: this.gateway.peer.peerId, records },
    };
  }

  /** The card and its holder: in parallel when the card's holder is known, else one after the other. */
  async #cardAndHolder(
    cardNumber: string,
  ): Promise<{ card: Read<CardRecord>; holder: Read<HolderRecord> | null }> {
    const known = this.#holderOfCard.get(cardNumber);
    if (known !== undefined) {
      const [card, holder] = await Promise.all([
        this.#read<CardRecord>(keys.card(cardNumber)),
        this.#read<HolderRecord>(keys.holder(known)),
      ]);
      if (card.value?.hid === known) return { card, holder };
    }
    const card = await this.#read<CardRecord>(keys.card(cardNumber));
    if (card.value === undefined) return { card, holder: null };
    if (this.#holderOfCard.size >= CARD_HOLDER_CACHE_MAX)
      this.#holderOfCard.delete(this.#holderOfCard.keys().next().value!);
    this.#holderOfCard.set(cardNumber, card.value.hid);
    return { card, holder: await this.#read<HolderRecord>(keys.holder(card.value.hid)) };
  }

  async #read<T>(key: string): Promise<Read<T>> {
    const entry = await this.gateway.peer.getState(PARKING_NAMESPACE, key);
    return { key, entry, value: entry === null ? undefined : (entry.value as T) };
  }

  #area(raw: string | undefined): string {
    const area = raw ?? this.config.defaultArea;
    if (area === undefined) {
      throw new ParkingRuleViolation(
        'AREA_MALFORMED',
        'area (the 4-digit CBS code where the check takes place) is required: ?area=0344',
      );
    }
    return parseArea(area, 'area');
  }

  #requireEnforcement(): void {
    if (!isEnforcement(this.config.mspId) || this.#officerSalt === null) {
      throw new ParkingRuleViolation(
        'NOT_ENFORCEMENT',
        `${this.config.mspId} does not enforce parking: roadside checks go to a police or municipal service`,
      );
    }
  }
}
