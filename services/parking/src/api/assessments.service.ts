/**
 * The independent Assessor's assessments: the criteria decide the outcome from the examination's
 * details; the details and their salt go to the Assessor's private store; the chain gets the
 * outcome, the card kinds it covers, how long it holds and a salted hash of the details.
 */
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, newSalt, type TxRef } from '@civic/service-kit';
import {
  dutchDate,
  inputObject,
  parseAssessmentId,
  parseHex64,
  prepareAssessment,
  type AssessmentDetails,
  type AssessmentRecord,
} from '../domain/index.js';
import { ParkingLedger } from '../ledger/parking-ledger.js';
import type { ParkingPrivateStore } from '../private/parking-private-store.js';
import { PARKING_PRIVATE } from '../tokens.js';
import { writeWithPrivateData } from './private-writes.js';

export type AssessmentOnChain = Omit<AssessmentRecord, 'detailsHash'>;

@Injectable()
export class AssessmentsService {
  constructor(
    @Inject(ParkingLedger) private readonly ledger: ParkingLedger,
    @Inject(PARKING_PRIVATE) private readonly privateStore: ParkingPrivateStore,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  async record(body: unknown): Promise<{ assessment: AssessmentRecord; tx: TxRef }> {
    const input = inputObject(body, 'assessment');
    const hid = parseHex64(input.hid, 'hid', 'HOLDER_ID_MALFORMED');
    const assessmentId =
      input.assessmentId === undefined ? this.#newId() : parseAssessmentId(input.assessmentId);
    const details = inputObject(input.details, 'assessment details') as unknown as AssessmentDetails;
    const prepared = prepareAssessment(newSalt(), hid, assessmentId, details);
    const { value, tx } = await writeWithPrivateData<AssessmentRecord>(
      this.ledger,
      this.privateStore,
      [prepared.write],
      'assessment.record',
      prepared.input,
    );
    return { assessment: value, tx };
  }

  /** `ASM-<year>-<16 hex>`: unique without coordination between the Assessor's instances. */
  #newId(): string {
    const year = dutchDate(new Date(this.clock()).toISOString()).slice(0, 4);
    return `ASM-${year}-${randomBytes(8).toString('hex')}`;
  }
}
