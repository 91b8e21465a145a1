import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MbusScanFinished, P1DetectView, TreeDevice } from '../../src-preload/contract/index.js';
import { ptyPair } from '../helpers/peers.js';
import { mbusLine, p1Port } from '../helpers/sim-lines.js';
import { rig, type Rig } from './rig.js';

const data = <T>(r: { ok: boolean; data?: unknown; message?: string }): T => {
  if (!r.ok) throw new Error(`call failed: ${r.message}`);
  return r.data as T;
};

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

describe('M-Bus and P1 discovery through the contract', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig({ poll: false });
  });
  afterAll(() => r.close());

  it('scans an M-Bus line with progress, shows addresses, ids, medium and values, and adds a meter', async () => {
    const port = await mbusLine(cleanup);
    const progress = r.next('mbus.progress');
    const start = data<{ scanId: string; total: number }>(
      await r.call('mbus.scan', { port, bauds: [2400], primary: { from: 0, to: 10 }, secondary: false }),
    );
    expect(start.total).toBe(11);
    const finished: MbusScanFinished = await r.next(
      'mbus.finished',
      (f) => f.scanId === start.scanId,
      30_000,
    );
    expect((await progress).scanId).toBe(start.scanId);
    expect(finished).toMatchObject({ outcome: 'done', message: null });
    expect(finished.found.map((f) => [f.primaryAddress, f.meterId, f.manufacturer, f.baud])).toEqual([
      [3, '31000003', 'EMS', 2400],
      [8, '31000008', 'EMS', 2400],
    ]);
    const elec = finished.found[0];
    expect(elec?.medium).toMatch(/electricity/i);
    expect(elec?.secondaryAddress).toMatch(/^31000003/);
    expect(elec?.readable).toBe(true);
    expect(elec?.firstValues.find((v) => v.key === 'energy_import')).toMatchObject({
      unit: expect.any(String) as string,
      value: expect.any(Number) as number,
    });
    const heat = finished.found[1];
    const added = data<TreeDevice>(await r.call('mbus.add', { id: heat?.id ?? '', label: 'Heat meter' }));
    expect(added).toMatchObject({
      label: 'Heat meter',
      protocol: 'meterBus',
      connection: { port, primary: 8 },
    });
    expect(added.loads[0]?.signals.length).toBeGreaterThan(0);
    expect(await r.call('mbus.add', { id: 'nope/0' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('refuses a scan that asks for nothing, a reversed range and a baud rate M-Bus does not use', async () => {
    expect(await r.call('mbus.scan', { port: '/dev/null', bauds: [2400], secondary: false })).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
    expect(
      await r.call('mbus.scan', {
        port: '/dev/null',
        bauds: [2400],
        primary: { from: 9, to: 2 },
        secondary: false,
      }),
    ).toMatchObject({ ok: false, code: 'bad_request' });
    const odd = await r.call('mbus.scan', {
      port: '/dev/null',
      bauds: [1234],
      primary: { from: 0, to: 1 },
      secondary: false,
    });
    expect(odd).toMatchObject({ ok: false, code: 'bad_request' });
    expect(odd.ok ? '' : odd.message).toMatch(/1234: not an M-Bus baud rate/);
  });

  it('reports a port that cannot be opened as a failed scan', async () => {
    // Opening fails at once, so the end may come before the start call returns: listen first.
    const ended = r.next('mbus.finished');
    const start = data<{ scanId: string }>(
      await r.call('mbus.scan', {
        port: '/dev/ems-no-such-port',
        bauds: [2400],
        primary: { from: 0, to: 1 },
        secondary: false,
      }),
    );
    const finished = await ended;
    expect(finished.scanId).toBe(start.scanId);
    expect(finished.outcome).toBe('failed');
    expect(finished.message).toMatch(/ems-no-such-port/);
  });

  it('cancels an M-Bus scan and says so', async () => {
    const port = await mbusLine(cleanup);
    const start = data<{ scanId: string }>(
      await r.call('mbus.scan', { port, bauds: [2400], primary: { from: 0, to: 250 }, secondary: false }),
    );
    await r.next('mbus.progress', (p) => p.scanId === start.scanId);
    expect(data<{ cancelled: boolean }>(await r.call('mbus.cancel', { scanId: start.scanId }))).toEqual({
      cancelled: true,
    });
    const finished = await r.next('mbus.finished', (f) => f.scanId === start.scanId);
    expect(finished.outcome).toBe('cancelled');
    expect(await r.call('mbus.cancel', { scanId: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('detects a P1 port (settings, DSMR 5.0) and adds it', async () => {
    const port = await p1Port(cleanup);
    const d = data<P1DetectView>(await r.call('p1.detect', { port, listenMs: 4000 }));
    expect(d).toMatchObject({ ok: true, port, settings: '115200 8N1', dsmr: '5.0', evidence: 'telegram' });
    if (!d.ok) return;
    expect(d.attempts[0]).toMatchObject({ settings: '115200 8N1', outcome: 'telegram' });
    const added = data<TreeDevice>(await r.call('p1.add', { id: d.id }));
    expect(added.protocol).toBe('P1');
    expect(added.loads.map((l) => l.label)).toEqual(['Electricity', 'Gas (M-Bus 1)']);
    expect(await r.call('p1.add', { id: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('says why when a port carries no telegrams', async () => {
    const pty = await ptyPair();
    cleanup.push(() => pty.close());
    const d = data<P1DetectView>(await r.call('p1.detect', { port: pty.a, listenMs: 500 }));
    expect(d).toMatchObject({ ok: false, reason: 'no_data' });
    expect(d.attempts.map((a) => a.settings)).toEqual(['115200 8N1', '9600 7E1']);
  });
});
