import type { Runtime } from '../runtime.js';
import type { DemoControl } from './context.js';

/**
 * Switches the runtime's demo plant. Off stops the simulators and removes the demo devices from the
 * configuration (they would only ever be stale); on starts fresh simulators and adds them again.
 */
export function runtimeDemo(rt: Runtime): DemoControl {
  let busy: Promise<void> = Promise.resolve();
  const set = async (on: boolean): Promise<void> => {
    const { engine } = rt;
    if (on === (rt.demo !== undefined)) return;
    if (on) {
      const { startDemoPlant } = await import('../sim/demo-plant.js');
      const plant = await startDemoPlant(engine);
      rt.demo = plant;
      engine.onClose(() => plant.stop());
      const known = JSON.parse(engine.store.meta.get('demo_devices') || '{}') as Record<string, number>;
      for (const uid of Object.values(known)) {
        const d = engine.store.config.device(uid);
        if (d && engine.config.poll !== false) engine.attach(d);
      }
      return;
    }
    const plant = rt.demo;
    rt.demo = undefined;
    const known = JSON.parse(engine.store.meta.get('demo_devices') || '{}') as Record<string, number>;
    for (const uid of Object.values(known)) engine.removeDevice(uid);
    engine.store.meta.set('demo_devices', '{}');
    await plant?.stop();
  };
  return {
    running: () => rt.demo !== undefined,
    switchLoad: (phase, watts) => {
      if (!rt.demo) return false;
      rt.demo.switchLoad(phase, watts);
      return true;
    },
    // Two clicks in a row must not start two plants.
    set: (on) => {
      const run = busy.then(() => set(on));
      busy = run.catch(() => undefined);
      return run;
    },
  };
}
