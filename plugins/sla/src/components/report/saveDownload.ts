import type { ReportDownload } from '@opensla/backstage-plugin-sla-common';

/**
 * Hands a downloaded file to the browser as a download: the report was
 * fetched with the user's credentials (a plain link would not carry them).
 */
export function saveDownload(download: ReportDownload, fallbackName: string) {
  const url = URL.createObjectURL(download.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = download.fileName ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before freeing the blob.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The name the backend gives a report file, when its header cannot be read. */
export function reportFileName(
  entityRef: string,
  period: { start: string; end: string; month?: string },
  ext: 'csv' | 'json',
) {
  const ref = entityRef.replace(/[^A-Za-z0-9_.-]+/g, '-');
  const span =
    period.month ?? `${period.start.slice(0, 10)}_${period.end.slice(0, 10)}`;
  return `sla-report-${ref}-${span}.${ext}`;
}
