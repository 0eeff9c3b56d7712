/**
 * The holder view (docs/parking.md#holder-view): cards with their current check result, reserved
 * places, assessment outcomes and the access log (who checked, when, where), read from the own
 * peer by name. Two kinds of callers (docs/parking.md, "How a holder authenticates"):
 *
 * - the citizen, with a holder token minted by the municipality of registration for this hid;
 * - a client or admin of the municipality of registration acting for the citizen at its counter
 *   (a token of the `parking` audience, on that municipality's own service).
 *
 * Anyone else gets 401 or 403; nobody else's records are ever served with a holder token.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Gateway } from '@civic/gateway';
import { bearerToken, CLOCK, GATEWAY, OWN_ORG_WRITE, TokenVerifier, forbidden } from '@civic/service-kit';
import { HOLDER_AUDIENCE, peekClaim } from '../auth/holder-token.js';
import {
  buildHolderView,
  holderViewKeys,
  isMunicipality,
  keys,
  ParkingRuleViolation,
  parseHex64,
  PARKING_NAMESPACE,
  type HolderRecord,
  type HolderView,
} from '../domain/index.js';

/** Point reads in flight at once while assembling a view (it reads up to ~300 keys). */
const VIEW_READS_CONCURRENCY = 16;

interface Viewer {
  readonly kind: 'holder' | 'staff';
  /** The municipality the caller speaks for. */
  readonly mspId: string;
}

@Injectable()
export class HolderViewService {
  constructor(
    @Inject(GATEWAY) private readonly gateway: Gateway,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  async view(
    hidParam: string,
    authorization: string | string[] | undefined,
  ): Promise<HolderView & { viewer: Viewer['kind'] }> {
    const token = bearerToken(authorization, 'a holder token from your municipality, or a staff token');
    const hid = parseHex64(hidParam, 'hid', 'HOLDER_ID_MALFORMED');
    const viewer = await this.#viewer(token, hid);
    const now = new Date(this.clock()).toISOString();
    const holder = await this.#get<HolderRecord>(keys.holder(hid));
    if (holder === undefined)
      throw new ParkingRuleViolation('HOLDER_UNKNOWN', `no holder is registered with id ${hid}`);
    if (holder.municipality !== viewer.mspId) {
      throw new ParkingRuleViolation(
        'NOT_REGISTERED_HERE',
        `${viewer.mspId} may not show this holder's records: the holder is registered in ${holder.municipality}`,
      );
    }
    const wanted = holderViewKeys(holder, now);
    const [cards, places, assessments, accessLog] = await Promise.all([
      this.#getAll(wanted.cards),
      this.#getAll(wanted.places),
      this.#getAll(wanted.assessments),
      this.#getAll(wanted.accessLog),
    ]);
    const view = buildHolderView(
      holder,
      { cards, places, assessments, accessLog } as Parameters<typeof buildHolderView>[1],
      now,
    );
    return { ...view, viewer: viewer.kind };
  }

  async #viewer(token: string, hid: string): Promise<Viewer> {
    const audience = peekClaim(token, 'aud');
    if (audience === HOLDER_AUDIENCE) {
      const caller = await this.verifier.verify(token, HOLDER_AUDIENCE);
      if (!isMunicipality(caller.mspId) || caller.role !== 'client') {
        throw forbidden(
          `holder tokens are minted by a municipality's parking service, not by ${caller.subject}`,
        );
      }
      if (peekClaim(token, 'hid') !== hid) throw forbidden('this holder token is for another holder');
      return { kind: 'holder', mspId: caller.mspId };
    }
    const caller = await this.verifier.verify(token);
    this.verifier.authorize(caller, OWN_ORG_WRITE);
    return { kind: 'staff', mspId: caller.mspId };
  }

  async #get<T>(key: string): Promise<T | undefined> {
    const entry = await this.gateway.peer.getState(PARKING_NAMESPACE, key);
    return entry === null ? undefined : (entry.value as T);
  }

  /** Reads `keyList` with at most VIEW_READS_CONCURRENCY reads in flight, in order. */
  async #getAll(keyList: readonly string[]): Promise<unknown[]> {
    const out: unknown[] = new Array(keyList.length);
    let next = 0;
    const worker = async () => {
      while (next < keyList.length) {
        const i = next++;
        out[i] = await this.#get(keyList[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(VIEW_READS_CONCURRENCY, keyList.length) }, worker));
    return out;
  }
}
