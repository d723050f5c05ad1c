import type { ServiceReport } from '@opensla/backstage-plugin-sla-common';

/** The CSV columns, one line per agreement target. */
export const REPORT_CSV_COLUMNS = [
  'entityRef',
  'periodStart',
  'periodEnd',
  'agreementId',
  'agreementKind',
  'agreementTitle',
  'targetId',
  'targetName',
  'aspect',
  'objective',
  'attainment',
  'met',
  'counted',
  'budgetAllowed',
  'budgetConsumed',
  'budgetRemaining',
  'breaches',
  'breachMinutes',
  'statusAtPeriodEnd',
  'csat',
  'csatResponses',
  'nps',
  'complaints',
] as const;

/** Up to 6 decimals, without float noise like 99.90000000000001. */
const round = (n: number) => Math.round(n * 1e6) / 1e6;

const MET_TEXT = { true: 'yes', false: 'no' } as const;

/**
 * A field as RFC 4180 wants it: quoted when it holds a comma, quote or line
 * break. Text that a spreadsheet would run as a formula (=, +, -, @ first) is
 * prefixed with a quote mark (OWASP's CSV injection advice); numbers are not
 * text and are written as they are.
 */
function field(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(round(value)) : '';
  }
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}


/**
 * The report's figures as CSV: a header and one line per agreement target
 * (the service's satisfaction repeated on each line, so every line stands
 * alone in a spreadsheet). CRLF line ends, as RFC 4180 says.
 */
export function reportCsv(report: ServiceReport): string {
  const s = report.satisfaction;
  const lines = [REPORT_CSV_COLUMNS.join(',')];
  for (const a of report.agreements) {
    for (const t of a.targets) {
      const breachMs = t.breaches.reduce((sum, b) => sum + b.durationMs, 0);
      lines.push(
        [
          report.entityRef,
          report.period.start,
          report.period.end,
          a.id,
          a.kind,
          a.title,
          t.targetId,
          t.name,
          t.aspect,
          t.objective,
          t.attainment,
          t.met === null ? '' : MET_TEXT[`${t.met}`],
          t.counted,
          t.errorBudget.allowed,
          t.errorBudget.consumed,
          t.errorBudget.remaining,
          t.breaches.length,
          breachMs / 60_000,
          t.atPeriodEnd.status,
          s.csat,
          s.csatResponses,
          s.nps,
          s.complaints.total,
        ]
          .map(field)
          .join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The file name of a report download, e.g. sla-report-component-default-checkout-2026-10.csv. */
export function reportFileName(report: ServiceReport, ext: 'csv' | 'json') {
  const ref = report.entityRef.replace(/[^A-Za-z0-9_.-]+/g, '-');
  const period =
    report.period.month ??
    `${report.period.start.slice(0, 10)}_${report.period.end.slice(0, 10)}`;
  return `sla-report-${ref}-${period}.${ext}`;
}
