import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { api } from './api.bench.js';
import { density } from './density.bench.js';
import { discovery } from './discovery.bench.js';
import { fuzzReachBench } from './fuzz.bench.js';
import { history } from './history.bench.js';
import { ingest } from './ingest.bench.js';
import { machine, type Bench, type BenchResult } from './lib.js';
import { memory } from './memory.bench.js';
import { poll } from './poll.bench.js';
import { resultsSection, type SoakRecord } from './soak/report.js';
import { startup } from './startup.bench.js';
import { streaming } from './streaming.bench.js';
import { telemetry } from './telemetry.bench.js';
import { uiPlot } from './ui-plot.js';

const BENCHES: Record<string, Bench> = {
  poll,
  ingest,
  history,
  telemetry,
  streaming,
  api,
  discovery,
  startup,
  memory,
  density,
  ui: uiPlot,
  fuzz: fuzzReachBench,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.filter((a) => !a.startsWith('--'));
  const ctx = { quick, log: (m: string) => process.stderr.write(`${m}\n`) };
  const results: BenchResult[] = [];
  const failures: string[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only.length && !only.includes(name)) continue;
    ctx.log(`── ${name}${quick ? ' (quick)' : ''}`);
    try {
      results.push(...(await bench(ctx)));
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message}`);
      ctx.log(`${name} FAILED: ${(e as Error).message}`);
    }
  }
  const dir = import.meta.dirname;
  mkdirSync(dir, { recursive: true });
  // Running a subset updates those figures and keeps the others from the last run.
  const file = join(dir, 'results.json');
  const previous: BenchResult[] =
    only.length && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult[]) : [];
  // A bench that ran replaces all its figures (one it no longer measures goes); others stay.
  const ran = new Set(
    Object.keys(BENCHES).filter(
      (n) => (!only.length || only.includes(n)) && !failures.some((f) => f.startsWith(`${n}:`)),
    ),
  );
  const fresh = new Set(results.map((r) => r.name));
  const all = [...previous.filter((r) => !fresh.has(r.name) && !ran.has(r.name.split('.')[0]!)), ...results];
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  writeFileSync(join(dir, 'RESULTS.md'), markdown(all, failures, quick, only));
  ctx.log(`wrote bench/results.json and bench/RESULTS.md (${results.length} new figures)`);
  if (failures.length) process.exitCode = 1;
}

function markdown(results: BenchResult[], failures: string[], quick: boolean, only: string[]): string {
  const lines = [
    '# Benchmark results',
    '',
    `- machine: ${machine()}`,
    `- date: ${new Date().toISOString()}`,
    `- mode: ${quick ? 'quick (smoke run, fewer samples)' : 'full'}`,
    ...(only.length
      ? [
          `- this run measured ${only.join(', ')} only; the other figures are kept from earlier runs (their dates: the history of bench/results.json)`,
        ]
      : []),
    '- every figure is the median of its runs, next to a baseline measured in the same run; spread = (max − min) / median; a figure measured once says "1 run"',
    "- paired ratio: where ours and the baseline ran in alternating rounds, the median of each round's ratio (the ratio column divides the two medians); every run's figure is in bench/results.json",
    '',
    '| benchmark | value | baseline | baseline value | ratio | paired ratio | runs | spread | note |',
    '|---|---:|---|---:|---:|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.value} ${r.unit} | ${r.baseline} | ${r.baselineValue} ${r.unit} | ${r.ratio} | ${r.pairedRatio ?? ''} | ${r.runs} | ${r.runs > 1 ? `${(r.spread * 100).toFixed(1)} %` : '1 run'} | ${r.note ?? ''} |`,
    ),
    '',
  ];
  // The soak (npm run soak, not part of this run): its last record, so its figures stay here.
  const soak = join(import.meta.dirname, 'soak', 'soak.json');
  if (existsSync(soak))
    lines.push(...resultsSection(JSON.parse(readFileSync(soak, 'utf8')) as SoakRecord, 'soak/REPORT.md'));
  if (failures.length) lines.push('## Failed', '', ...failures.map((f) => `- ${f}`), '');
  return `${lines.join('\n')}\n`;
}

void main();
