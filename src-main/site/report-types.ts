import type { CrossCheckResult } from './cross-check.js';
import type { CheckReport } from '../commissioning/check-device.js';
import type { ConfigWriteEntry } from '../store/config-writes-repo.js';
import type { BusHealth } from './bus-health.js';
import type { LoadStepResult } from './load-step.js';
import type { Difference, PlanCheck } from './plan-match.js';

export type ReportFormat = 'html' | 'pdf';

/** What `Engine.siteReport` hands back: the HTML text, or the PDF bytes it was printed to. */
export type SiteReportFile =
  | { format: 'html'; fileName: string; mime: 'text/html'; html: string }
  | { format: 'pdf'; fileName: string; mime: 'application/pdf'; pdf: Uint8Array };

/**
 * Prints one self-contained HTML document to PDF (A4, the document's own print CSS). Headless: the
 * system Chromium through playwright-core (report-print.ts); in the desktop app Electron's printToPDF.
 */
export interface PdfPrinter {
  print(html: string): Promise<Uint8Array>;
}

/** One device of the report: what was planned, configured and found on the wire, merged. */
export interface ReportDevice {
  label: string;
  /** Configured device, when it is configured. */
  uid: number | null;
  role: string | null;
  model: string | null;
  modelName: string | null;
  partNumber: string | null;
  serialNumber: string | null;
  firmware: string | null;
  system: string | null;
  /** "unit 3" / "address 5" / "". */
  address: string;
  /** Bus and its settings: "/dev/ttyUSB0, 9600 baud, 8N1" or "Modbus TCP 10.0.0.5:502". */
  bus: string;
  /** The latest plan-against-wire outcome of this device (null: not planned or not checked). */
  planOutcome: 'ok' | 'differs' | 'missing' | null;
  differences: Difference[];
}

export interface ReportWrite extends ConfigWriteEntry {
  /** The device's label at report time (or "device N" when it was removed). */
  device: string;
}

export interface ReportWiringCheck {
  t: number;
  uid: number;
  label: string;
  report: CheckReport;
}

export interface ReportHealth extends BusHealth {
  device: string;
}

/** A P1 cross-check as recorded (site/cross-check.ts); every field optional so the report reads older rows too. */
export interface ReportCrossCheck {
  t: number;
  ok: boolean;
  doc: Partial<CrossCheckResult>;
}

export interface ReportValues {
  label: string;
  t: number;
  rows: { key: string; name: string; unit: string; value: number }[];
}

/** Everything the report shows, gathered from the store (report-data.ts); the renderer is pure on it. */
export interface ReportData {
  generatedAt: number;
  appVersion: string;
  site: { name: string; address: string; customer: string; installer: string; notes: string };
  devices: ReportDevice[];
  planCheck: PlanCheck | null;
  writes: ReportWrite[];
  wiringChecks: ReportWiringCheck[];
  loadSteps: LoadStepResult[];
  crossChecks: ReportCrossCheck[];
  health: ReportHealth[];
  /** Main values per device from its latest wiring check (or the store's latest samples). */
  values: ReportValues[];
}
