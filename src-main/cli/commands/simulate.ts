import { loadLibrary } from '../../devices/library.js';
import { serveSerial, serveTcp, SimulatedMeter } from '../../sim/modbus-sim.js';
import { int, oneOf, OperationError, parse, str, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner simulate rtu --port PATH --model MODEL --unit U [--baud 9600] [--parity none]\n' +
  '       ems-commissioner simulate tcp --port N --model MODEL --unit U [--host 127.0.0.1]';

export async function simulate(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      port: { type: 'string' },
      model: { type: 'string' },
      unit: { type: 'string' },
      baud: { type: 'string' },
      parity: { type: 'string' },
      host: { type: 'string' },
    },
    USAGE,
  );
  const mode = oneOf(positionals[0], 'mode (rtu|tcp)', ['rtu', 'tcp'] as const);
  const library = loadLibrary();
  const modelId = str(values.model, 'model');
  const model = library.get(modelId);
  if (!model)
    throw new UsageError(`unknown model "${modelId}"; known: ${library.all.map((m) => m.id).join(', ')}`);
  const unit = int(values.unit, 'unit', 1, 247);
  const meter = new SimulatedMeter({ model, unit });
  let sim;
  try {
    if (mode === 'tcp') {
      const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
      sim = await serveTcp(meter, int(values.port, 'port', 1, 65535), host);
    } else {
      const baud = values.baud === undefined ? 9600 : int(values.baud, 'baud', 300, 921_600);
      const parity = oneOf(values.parity, 'parity', ['none', 'even', 'odd'] as const, 'none');
      sim = await serveSerial(meter, str(values.port, 'port'), baud, parity);
    }
  } catch (e) {
    throw new OperationError((e as Error).message);
  }
  io.err(`simulating ${model.vendor} ${model.name} as unit ${unit} on ${sim.endpoint} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.stop();
  return 0;
}
