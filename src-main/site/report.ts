import { gatherReport, type ReportSources } from './report-data.js';
import { renderReportHtml } from './report-html.js';
import type { PdfPrinter, ReportFormat, SiteReportFile } from './report-types.js';

/** "commissioning-report-farm-north-2026-12-02": safe as a file name on every system. */
export function reportFileName(siteName: string, at: Date, format: ReportFormat): string {
  const slug = siteName
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .slice(0, 60);
  return `commissioning-report${slug ? `-${slug}` : ''}-${at.toISOString().slice(0, 10)}.${format}`;
}

/** Data from the store → HTML (pure) → PDF through the printer when asked for. */
export async function siteReport(
  sources: ReportSources,
  format: ReportFormat,
  printer: PdfPrinter,
  o: { now?: Date; appVersion?: string } = {},
): Promise<SiteReportFile> {
  const now = o.now ?? new Date();
  const data = gatherReport(sources, { now, appVersion: o.appVersion });
  const html = renderReportHtml(data);
  const fileName = reportFileName(data.site.name, now, format);
  if (format === 'html') return { format, fileName, mime: 'text/html', html };
  return { format, fileName, mime: 'application/pdf', pdf: await printer.print(html) };
}
