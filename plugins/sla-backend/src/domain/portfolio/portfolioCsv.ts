/**
 * The portfolio's CSV export: one header line and one line per service,
 * written one at a time so an export of any size is streamed (RFC 4180
 * quoting; instants as ISO 8601; missing figures empty).
 */

/** What a CSV line is made of: the fields of a service's summary. */
export type PortfolioCsvSummary = {
  entityRef: string;
  owners: string[];
  kinds: string[];
  agreements: number;
  agreementsInForce: number;
  worstStatus: string | null;
  targets: number;
  targetsWithData: number;
  targetsMet: number;
  targetsMetPercent: number | null;
  breaches: {
    total: number;
    critical: number;
    major: number;
    minor: number;
    thirdParty: number;
    internal: number;
    own: number;
  };
  csat: number | null;
  csatResponses: number;
  watermelon: boolean;
  slaAgreedInDate: boolean;
  reviewOverdue: boolean;
  nextReviewDue: string | null;
  timelyReports?: boolean | null;
};

const COLUMNS: Array<[string, (s: PortfolioCsvSummary) => unknown]> = [
  ['service', s => s.entityRef],
  ['owners', s => s.owners.join(' ')],
  ['kinds', s => s.kinds.join(' ')],
  ['worstStatus', s => s.worstStatus],
  ['agreements', s => s.agreements],
  ['agreementsInForce', s => s.agreementsInForce],
  ['targets', s => s.targets],
  ['targetsWithData', s => s.targetsWithData],
  ['targetsMet', s => s.targetsMet],
  ['targetsMetPercent', s => s.targetsMetPercent],
  ['breaches', s => s.breaches.total],
  ['breachesCritical', s => s.breaches.critical],
  ['breachesMajor', s => s.breaches.major],
  ['breachesMinor', s => s.breaches.minor],
  ['breachesCausedByUc', s => s.breaches.thirdParty],
  ['breachesCausedByOla', s => s.breaches.internal],
  ['breachesOwn', s => s.breaches.own],
  ['csat', s => s.csat],
  ['csatResponses', s => s.csatResponses],
  ['watermelon', s => s.watermelon],
  ['slaAgreedInDate', s => s.slaAgreedInDate],
  ['reviewOverdue', s => s.reviewOverdue],
  ['nextReviewDue', s => s.nextReviewDue],
  ['timelyReports', s => s.timelyReports],
];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // quoted when needed; a leading =, +, - or @ is kept as text in spreadsheets
  const guarded =
    /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(guarded)
    ? `"${guarded.replace(/"/g, '""')}"`
    : guarded;
}

/** The header line, with its line end. */
export function portfolioCsvHeader(): string {
  return `${COLUMNS.map(([name]) => name).join(',')}\r\n`;
}

/** One service's line, with its line end. */
export function portfolioCsvLine(summary: PortfolioCsvSummary): string {
  return `${COLUMNS.map(([, value]) => cell(value(summary))).join(',')}\r\n`;
}
