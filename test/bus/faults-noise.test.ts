import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { Engine } from '../../src-main/engine.js';
import { crc16Modbus } from '../../src-main/protocol/modbus/crc16.js';
import { buildRtuFrame } from '../../src-main/protocol/modbus/rtu-frame.js';
import { dbFile, socatAt, waitFor } from './faults-helpers.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

type Mode = 'ok' | 'garbage' | 'crc' | 'wrong-unit' | 'exception';

/** A fault-injecting slave on the far pty end: answers reads with zeros, mangled as `mode` says. */
async function fakeSlave(path: string): Promise<{ mode: Mode; close(): Promise<void> }> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false, lock: false });
  const state = { mode: 'ok' as Mode, close: () => new Promise<void>((r) => port.close(() => r())) };
  let buf = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 8) {
      const req = buf.subarray(0, 8);
      // Not a request at this offset: slide by one byte until one lines up.
      if (crc16Modbus(req, 0, 6) !== req.readUInt16LE(6)) {
        buf = buf.subarray(1);
        continue;
      }
      buf = buf.subarray(8);
      const unit = req[0]!;
      const fc = req[1]!;
      const count = req.readUInt16BE(4);
      const reply = buildRtuFrame(
        unit,
        Buffer.concat([Buffer.from([fc, count * 2]), Buffer.alloc(count * 2)]),
      );
      switch (state.mode) {
        case 'ok':
          port.write(reply);
          break;
        case 'garbage':
          // Line noise before a good reply: the reply must still be taken.
          port.write(Buffer.concat([Buffer.from([0xff, 0x00, 0xfe, 0x13]), reply]));
          break;
        case 'crc': {
          const bad = Buffer.from(reply);
          bad[bad.length - 1]! ^= 0xff;
          port.write(bad);
          break;
        }
        case 'wrong-unit':
          port.write(buildRtuFrame(unit + 1, reply.subarray(1, reply.length - 2)));
          break;
        case 'exception':
          port.write(buildRtuFrame(unit, Buffer.from([fc | 0x80, 4])));
          break;
      }
    }
  });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return state;
}

describe('garbage, bad CRC, a reply from another unit id, an exception', () => {
  it('each is counted in the bus statistics and shown in the monitor; the engine carries on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ems-noise-'));
    const a = join(dir, 'a');
    const socat = await socatAt(a, join(dir, 'b'));
    const slave = await fakeSlave(join(dir, 'b'));

    const engine = new Engine({ dbFile: dbFile() });
    cleanup.push(
      () => engine.close(),
      () => slave.close(),
      () => void socat.kill('SIGKILL'),
    );
    const model = engine.library.require('eastron-sdm120');
    const tree = engine.addDevice({
      ...deviceFromModel(
        model,
        { port: a, baud: 9600, parity: 'none', stopBits: 1, unit: 3, model: model.id },
        engine.catalogue,
        { keys: ['voltage'] },
      ),
      pollMs: 100,
    });
    engine.setBusSettings(`serial:${a}`, { timeoutMs: 150, retries: 0 });
    engine.start();
    const key = `serial:${a}`;
    const stats = () => engine.busStats(key).find((s) => s.unit === 3)!;
    const state = () => engine.poller.status(tree.uid)[0]?.state;
    await waitFor(() => state() === 'online', 5000, 'first reading');
    expect(stats().devices).toEqual([{ uid: tree.uid, label: tree.label }]);

    slave.mode = 'garbage';
    await waitFor(() => stats().garbage >= 2, 5000, 'garbage counted');
    expect(state()).toBe('online');

    slave.mode = 'crc';
    await waitFor(() => stats().crcErrors >= 2, 5000, 'CRC errors counted');
    slave.mode = 'wrong-unit';
    await waitFor(() => stats().wrongUnit >= 2, 5000, 'wrong-unit replies counted');
    expect(engine.busFrames(key).some((f) => f.outcome === 'wrong-unit' && f.unit === 4)).toBe(true);
    slave.mode = 'exception';
    await waitFor(() => stats().exceptions >= 2, 5000, 'exceptions counted');
    expect(engine.busFrames(key).some((f) => f.outcome === 'exception' && f.exceptionCode === 4)).toBe(true);
    expect(state()).not.toBe('online');

    const outcomes = new Set(engine.busFrames(key).map((f) => f.outcome));
    for (const o of ['garbage', 'crc-error', 'wrong-unit', 'exception', 'timeout'])
      expect(outcomes).toContain(o);
    slave.mode = 'ok';
    await waitFor(() => state() === 'online', 5000, 'recovery');
    expect(stats().errors).toBeGreaterThanOrEqual(stats().crcErrors + stats().exceptions);
  }, 30_000);
});
