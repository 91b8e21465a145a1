import { issueToken } from '../src-main/api/auth.js';
import type { Engine } from '../src-main/engine.js';
import { plainDevice } from '../test/helpers/plain-device.js';

/** The streamed-CSV bench's data: one float attribute sampled every second, ending at a whole hour. */
export interface StreamingData {
  /** The telemetry device (a load's UUID) and attribute. */
  device: string;
  attribute: string;
  uid: number;
  /** Unix s, [from, to). */
  from: number;
  to: number;
  rows: number;
  token: string;
}

export const value = (i: number): number => 230 + Math.sin(i / 600) * 5;
export const PASSWORD = 'bench-password';

/**
 * Imports `rows` samples at 1 s through the store's import path and closes them into blocks, as the
 * live path leaves data older than a few minutes. Retention must cover the range (the caller's engine).
 */
export async function writeStreamingData(engine: Engine, rows: number): Promise<StreamingData> {
  const entry = engine.catalogue.key('voltage_l1');
  const tree = engine.store.config.addDevice(
    plainDevice('bench', [
      { key: entry.key, si: entry.si, kind: entry.kind, type: entry.type, unit: entry.unit },
    ]),
  );
  const uid = tree.loads[0]!.signals[0]!.uid;
  const to = Math.floor(Date.now() / 3600_000) * 3600;
  const from = to - rows;
  const chunk = 100_000;
  for (let i = 0; i < rows; i += chunk)
    engine.store.samples.importSamples(
      Array.from({ length: Math.min(chunk, rows - i) }, (_, k) => ({
        uid,
        t: (from + i + k) * 1000 + 137,
        v: value(i + k),
      })),
    );
  engine.store.raw.blocks.closeAll(Date.now());
  engine.store.users.add('bench', PASSWORD, 'api');
  const token = await issueToken(engine.store, { username: 'bench', role: 'api' });
  return { device: tree.loads[0]!.uuid, attribute: entry.key, uid, from, to, rows, token };
}

/** The request body: every second of the range, one column. */
export function requestBody(d: StreamingData): string {
  return JSON.stringify({
    from: d.from,
    to: d.to,
    telemetry: [{ device: d.device, attribute: d.attribute, aggregation: 'last', granularity: '1s' }],
  });
}

/** POSTs the request over HTTP and reads the streamed CSV to its end; returns the data rows counted. */
export async function fetchRows(url: string, d: StreamingData): Promise<number> {
  const res = await fetch(`${url}/api/telemetry/v1/timeseries`, {
    method: 'POST',
    headers: { 'x-enapter-auth-token': d.token, 'content-type': 'application/json' },
    body: requestBody(d),
  });
  if (res.status !== 200) throw new Error(`timeseries: ${res.status} ${(await res.text()).slice(0, 200)}`);
  if (!res.body) throw new Error('timeseries: no body');
  let lines = 0;
  let filled = 0;
  let last = -1;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    for (let i = 0; i < chunk.length; i++)
      if (chunk[i] === 10) {
        lines++;
        // A row with a value does not end in the separator (",\n" is an empty bucket).
        if (last !== 44) filled++;
        last = 10;
      } else last = chunk[i]!;
  }
  // The header line is not a row.
  if (lines - 1 !== d.rows || filled - 1 !== d.rows)
    throw new Error(`timeseries: ${lines - 1} rows (${filled - 1} with a value) for ${d.rows} samples`);
  return lines - 1;
}
