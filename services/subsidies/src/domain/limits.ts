/**
 * Bounds on every list kept in state and on every loop over state. Each one is a refusal point
 * (BoundExceededError), never a silent truncation.
 */

/**
 * Members of one single undertaking the group search follows. Each member costs two point reads
 * (its record and its aid register) in every decision; 64 covers real groups of SMEs while keeping
 * a decision's read set small. A larger group is refused, not cut, because a cut group would
 * undercount its aid.
 */
export const MAX_GROUP_MEMBERS = 64;

/** Control links kept on one undertaking record (both directions together). */
export const MAX_LINKS_PER_UNDERTAKING = 64;

/** Undertakings merged into one (Art. 3(8)). */
export const MAX_ABSORBED = 32;

/**
 * Entries in one undertaking's aid register. The register is read by every decision for its
 * group, so it is bounded; 2,000 grants is far beyond what one undertaking receives.
 */
export const MAX_REGISTER_ENTRIES = 2_000;

/** Payments and recoveries recorded on one grant. */
export const MAX_PAYMENTS_PER_GRANT = 500;

/** Free-text fields (titles, reasons). */
export const MAX_TEXT_LENGTH = 500;
