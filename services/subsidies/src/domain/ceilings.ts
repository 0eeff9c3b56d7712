/**
 * The de minimis ceilings and the cumulation rules between the four de minimis regulations,
 * as data. docs/subsidies.md gives the reading of each article; changing a reading is a change
 * to one row here, and every check, refusal and view follows.
 */

/** Under which regulation a scheme grants de minimis aid. */
export const AidKind = {
  /** Regulation (EU) 2023/2831, the general de minimis regulation. */
  GENERAL: 'GENERAL',
  /** Regulation (EU) 2023/2832, undertakings providing services of general economic interest. */
  SGEI: 'SGEI',
  /** Regulation (EU) No 1408/2013 (as amended by 2024/3118), primary agricultural production. */
  AGRICULTURE: 'AGRICULTURE',
  /** Regulation (EU) No 717/2014 (as amended by 2023/2391), primary fishery and aquaculture production. */
  FISHERIES: 'FISHERIES',
} as const;
export type AidKind = (typeof AidKind)[keyof typeof AidKind];

export const AID_KINDS: readonly AidKind[] = Object.values(AidKind);

/** The length of the rolling window, in years (every regulation: "over any period of three years"). */
export const WINDOW_YEARS = 3;

/**
 * One ceiling check: when aid of a kind in `appliesTo` is granted, the de minimis aid of the kinds
 * in `counts` granted to the single undertaking in the window, plus the new aid, must not exceed
 * `ceilingCents`.
 */
export interface CeilingRule {
  /** Stable name of the check, shown in refusals. */
  readonly id: string;
  readonly appliesTo: readonly AidKind[];
  readonly counts: readonly AidKind[];
  readonly ceilingCents: number;
  /** The article that sets the ceiling or allows the cumulation up to it. */
  readonly article: string;
}

const EUR = 100;
export const GENERAL_CEILING_CENTS = 300_000 * EUR;
export const SGEI_CEILING_CENTS = 750_000 * EUR;
export const AGRICULTURE_CEILING_CENTS = 50_000 * EUR;
export const FISHERIES_CEILING_CENTS = 40_000 * EUR;

const { GENERAL, SGEI, AGRICULTURE, FISHERIES } = AidKind;

/**
 * Every ceiling check, in the order they are evaluated. A new grant must pass every row whose
 * `appliesTo` holds its kind; the first row that fails is the refusal.
 */
export const CEILING_RULES: readonly CeilingRule[] = [
  {
    id: 'GENERAL',
    appliesTo: [GENERAL],
    counts: [GENERAL, AGRICULTURE, FISHERIES],
    ceilingCents: GENERAL_CEILING_CENTS,
    article: 'Regulation (EU) 2023/2831 Art. 3(2) and Art. 5(1), second sentence',
  },
  {
    id: 'GENERAL_WITH_SGEI',
    appliesTo: [GENERAL],
    counts: [GENERAL, SGEI, AGRICULTURE, FISHERIES],
    ceilingCents: SGEI_CEILING_CENTS,
    article: 'Regulation (EU) 2023/2831 Art. 5(1), first sentence',
  },
  {
    id: 'SGEI',
    appliesTo: [SGEI],
    counts: [GENERAL, SGEI, AGRICULTURE, FISHERIES],
    ceilingCents: SGEI_CEILING_CENTS,
    article: 'Regulation (EU) 2023/2832 Art. 3(2) and Art. 5(1)',
  },
  {
    id: 'AGRICULTURE',
    appliesTo: [AGRICULTURE],
    counts: [AGRICULTURE],
    ceilingCents: AGRICULTURE_CEILING_CENTS,
    article: 'Regulation (EU) No 1408/2013 Art. 3(2), as amended by Regulation (EU) 2024/3118',
  },
  {
    id: 'AGRICULTURE_WITH_FISHERIES',
    appliesTo: [AGRICULTURE],
    counts: [AGRICULTURE, FISHERIES],
    ceilingCents: AGRICULTURE_CEILING_CENTS,
    article: 'Regulation (EU) No 1408/2013 Art. 5(2)',
  },
  {
    id: 'AGRICULTURE_WITH_GENERAL',
    appliesTo: [AGRICULTURE],
    counts: [GENERAL, AGRICULTURE, FISHERIES],
    ceilingCents: GENERAL_CEILING_CENTS,
    article: 'Regulation (EU) No 1408/2013 Art. 5(1); Regulation (EU) 2023/2831 Art. 5(1)',
  },
  {
    id: 'AGRICULTURE_WITH_SGEI',
    appliesTo: [AGRICULTURE],
    counts: [GENERAL, SGEI, AGRICULTURE, FISHERIES],
    ceilingCents: SGEI_CEILING_CENTS,
    article: 'Regulation (EU) 2023/2832 Art. 5(1)',
  },
  {
    id: 'FISHERIES',
    appliesTo: [FISHERIES],
    counts: [FISHERIES],
    ceilingCents: FISHERIES_CEILING_CENTS,
    article: 'Regulation (EU) No 717/2014 Art. 3(2), as amended by Regulation (EU) 2023/2391',
  },
  {
    id: 'FISHERIES_WITH_AGRICULTURE',
    appliesTo: [FISHERIES],
    counts: [AGRICULTURE, FISHERIES],
    ceilingCents: FISHERIES_CEILING_CENTS,
    article: 'Regulation (EU) No 717/2014 Art. 5(2), as amended by Regulation (EU) 2023/2391',
  },
  {
    id: 'FISHERIES_WITH_GENERAL',
    appliesTo: [FISHERIES],
    counts: [GENERAL, AGRICULTURE, FISHERIES],
    ceilingCents: GENERAL_CEILING_CENTS,
    article: 'Regulation (EU) No 717/2014 Art. 5(1); Regulation (EU) 2023/2831 Art. 5(1)',
  },
  {
    id: 'FISHERIES_WITH_SGEI',
    appliesTo: [FISHERIES],
    counts: [GENERAL, SGEI, AGRICULTURE, FISHERIES],
    ceilingCents: SGEI_CEILING_CENTS,
    article: 'Regulation (EU) 2023/2832 Art. 5(1)',
  },
];

/** The rows a new grant of `kind` must pass. */
export function ceilingRulesFor(kind: AidKind): readonly CeilingRule[] {
  return CEILING_RULES.filter((rule) => rule.appliesTo.includes(kind));
}

/** The headline ceiling of each kind (the regulation's own Art. 3(2)), for views. */
export const HEADLINE_CEILING_CENTS: Readonly<Record<AidKind, number>> = {
  GENERAL: GENERAL_CEILING_CENTS,
  SGEI: SGEI_CEILING_CENTS,
  AGRICULTURE: AGRICULTURE_CEILING_CENTS,
  FISHERIES: FISHERIES_CEILING_CENTS,
};
