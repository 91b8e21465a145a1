import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectP1, type P1DetectProgress } from '../../src-main/bus/p1-detect.js';
import { P1Reader, type P1Reading } from '../../src-main/bus/p1-reader.js';
import { P1MeterModel, startP1Meter, type P1MeterHandle } from '../../src-main/sim/p1-meter.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import type { SerialSettings } from '../../src-main/transport/transport.js';
import { ptyPair, sleep, type PtyPair } from '../helpers/peers.js';

const DSMR5: Omit<SerialSettings, 'path'> = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 };
const DSMR22: Omit<SerialSettings, 'path'> = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 };

async function waitFor(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const sampleValue = (r: P1Reading, key: string): number => {
  const v = r.signals.samples.find((s) => s.key === key)?.value;
  if (typeof v !== 'number') throw new Error(`${key} missing`);
  return v;
};

describe('P1 over a socat pty pair', () => {
  let pty: PtyPair;
  let meterSide: SerialTransport | undefined;
  let meter: P1MeterHandle | undefined;

  beforeEach(async () => {
    pty = await ptyPair();
  });
  afterEach(async () => {
    await meter?.stop();
    await meterSide?.close();
    meter = undefined;
    meterSide = undefined;
    pty.close();
  });

  async function startMeter(
    settings: Omit<SerialSettings, 'path'>,
    options: Parameters<typeof startP1Meter>[1],
  ): Promise<void> {
    meterSide = new SerialTransport({ path: pty.a, ...settings });
    await meterSide.open();
    meter = startP1Meter(meterSide, options);
  }

  it('delivers a telegram every interval with valid CRC and rising counters; a corrupted one is counted and dropped', async () => {
    const readerSide = new SerialTransport({ path: pty.b, ...DSMR5 });
    await readerSide.open();
    const reader = new P1Reader(readerSide);
    const readings: P1Reading[] = [];
    reader.on('telegram', (r) => readings.push(r));
    reader.start();
    try {
      await startMeter(DSMR5, { intervalMs: 200, speed: 600, seed: 9 });
      await waitFor('three telegrams', () => readings.length >= 3);

      const good = new P1MeterModel(Date.UTC(2024, 0, 10, 18), { seed: 1 }).telegram(
        Date.UTC(2024, 0, 10, 18, 1),
      );
      const bad = Buffer.from(
        good.toString('latin1').replace(/1-0:1\.7\.0\(\d\d\.\d{3}/, '1-0:1.7.0(99.999'),
        'latin1',
      );
      expect(bad).not.toEqual(good);
      await meterSide!.write(bad);
      await waitFor(
        'the bad CRC and more telegrams',
        () => reader.stats.badCrc === 1 && readings.length >= 10,
      );
    } finally {
      reader.stop();
      await meter?.stop();
      await readerSide.close();
    }

    expect(reader.stats).toMatchObject({ badCrc: 1, framingErrors: 0, skippedBytes: 0 });
    for (const r of readings) {
      expect(r.telegram.crc).not.toBeNull();
      expect(r.telegram.crc?.declared).toBe(r.telegram.crc?.computed);
      expect(r.telegram.version.dsmr).toBe('5.0');
      expect(sampleValue(r, 'power_import')).not.toBe(99_999);
    }
    const gaps = readings.slice(1).map((r, i) => r.receivedAt - readings[i]!.receivedAt);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(120);
    expect(mean).toBeLessThan(400);

    const total = (r: P1Reading): number =>
      ['energy_import_t1', 'energy_import_t2', 'energy_export_t1', 'energy_export_t2'].reduce(
        (n, k) => n + sampleValue(r, k),
        0,
      );
    for (const key of ['energy_import_t1', 'energy_import_t2', 'energy_export_t1', 'energy_export_t2']) {
      const v = readings.map((r) => sampleValue(r, key));
      for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
    }
    expect(total(readings.at(-1)!)).toBeGreaterThan(total(readings[0]!));
  });

  it('detects DSMR 5 at 115200 8N1', async () => {
    await startMeter(DSMR5, { intervalMs: 250 });
    const progress: P1DetectProgress[] = [];
    const result = await detectP1(pty.b, { listenMs: 3000, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({
      ok: true,
      settings: { path: pty.b, ...DSMR5 },
      dsmr: '5.0',
      versionLabel: 'DSMR 5.0',
      crc: 'valid',
      evidence: 'telegram',
      attempts: [{ outcome: 'telegram', settings: DSMR5 }],
    });
    expect(progress.map((p) => [p.attempt, p.phase, p.outcome])).toEqual([
      [1, 'listening', undefined],
      [1, 'done', 'telegram'],
    ]);
  });

  it('detects DSMR 2.2 at 9600 7E1: on a pty the speed is ignored, the parity in bit 7 tells', async () => {
    await startMeter(DSMR22, { protocol: 'dsmr22', intervalMs: 300 });
    const result = await detectP1(pty.b, { listenMs: 3000 });
    expect(result).toMatchObject({
      ok: true,
      settings: { path: pty.b, ...DSMR22 },
      dsmr: '2.2/3.0',
      crc: 'absent',
      evidence: 'telegram',
    });
    expect(result.attempts.map((a) => a.outcome)).toEqual(['telegram_7e1', 'telegram']);
  });

  it('reads the DSMR 2.2 meter once detected', async () => {
    await startMeter(DSMR22, { protocol: 'dsmr22', intervalMs: 200 });
    const readerSide = new SerialTransport({ path: pty.b, ...DSMR22 });
    await readerSide.open();
    const reader = new P1Reader(readerSide, { stripParity: true });
    const readings: P1Reading[] = [];
    reader.on('telegram', (r) => readings.push(r));
    reader.start();
    try {
      await waitFor('two telegrams', () => readings.length >= 2);
    } finally {
      reader.stop();
      await readerSide.close();
    }
    expect(readings[0]?.signals.samples.map((s) => s.key)).toContain('gas_volume');
  });

  it('says when the line is silent, and stops at once when cancelled', async () => {
    const silent = await detectP1(pty.b, { listenMs: 300 });
    expect(silent).toMatchObject({ ok: false, reason: 'no_data' });
    expect(silent.attempts.map((a) => a.outcome)).toEqual(['no_data', 'no_data']);

    const abort = new AbortController();
    const began = Date.now();
    setTimeout(() => abort.abort(), 200);
    const cancelled = await detectP1(pty.b, { listenMs: 10_000, signal: abort.signal });
    expect(cancelled).toMatchObject({ ok: false, reason: 'aborted' });
    expect(Date.now() - began).toBeLessThan(3000);
  });

  it('reports a missing port as a failed open', async () => {
    const result = await detectP1(`${pty.b}-missing`, { listenMs: 200 });
    expect(result).toMatchObject({
      ok: false,
      reason: 'open_failed',
      detail: expect.stringContaining('cannot open'),
    });
    expect(result.attempts.map((a) => a.outcome)).toEqual(['open_failed', 'open_failed']);
    expect(result.attempts[0]?.detail).toContain('cannot open');
  });
});
