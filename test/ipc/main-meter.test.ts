import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MainMeterView, TreeDevice } from '../../src-preload/contract/index.js';
import { rig, type Rig } from './rig.js';

const data = <T>(r: { ok: boolean; data?: unknown; message?: string }): T => {
  if (!r.ok) throw new Error(`call failed: ${r.message}`);
  return r.data as T;
};

/** The contract channel load.setMain (issue 12.5): one main meter per site, shown in the tree. */
describe('load.setMain through the dispatch wrapper', () => {
  let r: Rig;
  let a: TreeDevice;
  let b: TreeDevice;
  let virtualLoad: number;
  const add = (model: string, port: number, label: string) =>
    r.call('device.add', { model, connection: { host: '127.0.0.1', port, unit: 1, model }, label });
  beforeAll(async () => {
    r = await rig({ poll: false });
    a = data<TreeDevice>(await add('cg-em24-rs485', 1, 'A'));
    b = data<TreeDevice>(await add('eastron-sdm630', 2, 'B'));
    virtualLoad = r.rt.engine.store.config.addDevice({
      label: 'V',
      protocol: 'virtual',
      model: null,
      partNumber: 'VIRTUAL',
      system: '3P.N',
      enable: false,
      connection: {},
      loads: [{ label: 'V', index: 1, type: 0, settings: {}, signals: [] }],
    }).loads[0]!.uid;
  });
  afterAll(() => r.close());

  const mains = async (): Promise<number[]> =>
    data<TreeDevice[]>(await r.call('config.tree'))
      .flatMap((d) => d.loads)
      .filter((l) => l.main)
      .map((l) => l.uid);

  it('marks meter loads as candidates, and none as main at first', async () => {
    const tree = data<TreeDevice[]>(await r.call('config.tree'));
    const loads = tree.flatMap((d) => d.loads);
    expect(loads.find((l) => l.uid === a.loads[0]!.uid)?.canBeMain).toBe(true);
    expect(loads.find((l) => l.uid === virtualLoad)?.canBeMain).toBe(false);
    expect(await mains()).toEqual([]);
  });

  it('moves the main meter from one load to another, says which one it was, and clears it', async () => {
    const la = a.loads[0]!.uid;
    const lb = b.loads[0]!.uid;
    const changed = r.next('config.changed');
    expect(data<MainMeterView>(await r.call('load.setMain', { uid: la, main: true }))).toEqual({
      main: la,
      previous: null,
    });
    expect((await changed).reason).toBe('main meter chosen');
    expect(await mains()).toEqual([la]);
    expect(data<MainMeterView>(await r.call('load.setMain', { uid: lb, main: true }))).toEqual({
      main: lb,
      previous: la,
    });
    expect(await mains()).toEqual([lb]);
    // Clearing a load that is not the main changes nothing.
    expect(data<MainMeterView>(await r.call('load.setMain', { uid: la, main: false }))).toEqual({
      main: lb,
      previous: lb,
    });
    expect(data<MainMeterView>(await r.call('load.setMain', { uid: lb, main: false }))).toEqual({
      main: null,
      previous: lb,
    });
    expect(await mains()).toEqual([]);
  });

  it('refuses bad input with a clear 4xx-kind code', async () => {
    expect(await r.call('load.setMain', { uid: 999_999, main: true })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await r.call('load.setMain', { uid: virtualLoad, main: true })).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringMatching(/not the load of an electricity meter/),
    });
    for (const bad of [{ uid: a.loads[0]!.uid }, { uid: 'x', main: true }, { uid: 1, main: 'yes' }])
      expect(await r.call('load.setMain', bad)).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await mains()).toEqual([]);
  });
});
