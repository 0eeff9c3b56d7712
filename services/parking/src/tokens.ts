/** Injection tokens of the parking service's own providers (the kit's are in @civic/service-kit). */
export const PARKING_PRIVATE = Symbol.for('civic.parking.private-store');
export const RECORD_PROOFS = Symbol.for('civic.parking.record-proofs');
export const PROOF_SOURCE = Symbol.for('civic.parking.proof-source');
export const SIGNER = Symbol.for('civic.parking.signer');
