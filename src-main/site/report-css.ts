/**
 * The report's own style sheet, inlined: no font, image or script is fetched, so the HTML file reads
 * the same offline and prints the same in Chromium and in Electron. A4 with room for a binder.
 */
export const REPORT_CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 18mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 9.5pt; color: #111; }
body { margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
@media print { body { padding: 0; max-width: none; } }
header { border-bottom: 2px solid #111; margin-bottom: 4mm; padding-bottom: 2mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #888; padding-bottom: 1mm; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10pt; margin: 3mm 0 1mm; break-after: avoid; page-break-after: avoid; }
dl.info { display: grid; grid-template-columns: 30mm 1fr; gap: 0.5mm 4mm; margin: 0; }
dl.info dt { font-weight: bold; }
dl.info dd { margin: 0; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 2mm; font-size: 8.5pt; }
th, td { border: 1px solid #aaa; padding: 0.8mm 1.5mm; text-align: left; vertical-align: top; }
table.fixed { table-layout: fixed; }
td { overflow-wrap: anywhere; }
th { background: #eee; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pass { color: #0a6b14; font-weight: bold; }
.fail { color: #b00020; font-weight: bold; }
.muted { color: #555; }
.note { font-size: 8.5pt; color: #333; margin: 0.5mm 0 2mm; }
ul.fixes { margin: 0.5mm 0 0 4mm; padding: 0; }
section.summary table td:first-child { width: 60mm; }
section.signatures { break-inside: avoid; page-break-inside: avoid; margin-top: 8mm; }
.sign { display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; margin-top: 4mm; }
.sign div { border-top: 1px solid #111; padding-top: 1mm; margin-top: 16mm; }
footer { margin-top: 6mm; font-size: 8pt; color: #555; }
`;
