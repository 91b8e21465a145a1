import { loadSunSpecDefinitions } from '../../src-main/protocol/sunspec/definitions.js';
import { sunspecImage, type ImageModel } from '../../src-main/sim/sunspec-image.js';
import type { RegisterSpec } from './peers.js';

/** An inverter (103) with MPPT (160), a vendor model nobody knows (64001) and a meter (203). */
export const CHAIN: ImageModel[] = [
  {
    id: 1,
    values: { Mn: 'SimSolar', Md: 'SIM-10K-3P', Opt: 'grid-A', Vr: '2.4.1', SN: 'SS2024-0042', DA: 1 },
  },
  {
    id: 103,
    values: {
      A_SF: -2,
      AphA: 6.12,
      AphB: 6.08,
      AphC: 6.1,
      V_SF: -1,
      PhVphA: 230.1,
      PhVphB: 229.8,
      PhVphC: 231.4,
      W_SF: 0,
      W: 4210,
      Hz_SF: -2,
      Hz: 50.02,
      PF_SF: -1,
      PF: 99.5,
      WH_SF: 1,
      WH: 12345670,
      DCV_SF: -1,
      DCV: 612.5,
      DCA_SF: -2,
      DCA: 7.05,
      DCW_SF: 0,
      DCW: 4318,
      Tmp_SF: -1,
      TmpCab: 41.3,
      St: 4,
      // VA, VAr, PPV… are left "not implemented": they must come back as no value.
    },
  },
  {
    id: 160,
    repeats: 2,
    values: {
      DCA_SF: -2,
      DCV_SF: -1,
      DCW_SF: 0,
      'module.1.DCA': 3.51,
      'module.1.DCV': 610.2,
      'module.1.DCW': 2142,
      'module.2.DCA': 3.54,
      'module.2.DCV': 614.8,
      'module.2.DCW': 2176,
    },
  },
  { id: 64001, vendorLength: 12 },
  {
    id: 203,
    values: {
      A_SF: -2,
      AphA: 12.5,
      AphB: 11.25,
      AphC: 10,
      V_SF: -1,
      PhVphA: 231.2,
      PhVphB: 230.4,
      PhVphC: 229.9,
      Hz_SF: -2,
      Hz: 49.98,
      W_SF: 0,
      W: -1520,
      WphA: -500,
      WphB: -510,
      WphC: -510,
      PF_SF: -2,
      PF: -97.5,
      TotWh_SF: 0,
      TotWhImp: 5123456,
      TotWhExp: 987654,
    },
  },
];

/** The device's registers as a pymodbus register spec (holding registers) with the chain at `base`. */
export function sunspecUnit(
  base: number,
  serial = 'SS2024-0042',
  chain: ImageModel[] = CHAIN,
): RegisterSpec[number] {
  const models = chain.map((m) =>
    'values' in m && m.id === 1 ? { ...m, values: { ...m.values, SN: serial } } : m,
  );
  return { hr: { [base]: sunspecImage(loadSunSpecDefinitions(), base, models) } };
}
