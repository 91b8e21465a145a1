import { OperationError, processIo, UsageError, type Io } from './args.js';
import { check } from './commands/check.js';
import { add, list, remove } from './commands/config.js';
import { configure } from './commands/configure.js';
import { decode } from './commands/decode.js';
import { monitor } from './commands/monitor.js';
import { ports } from './commands/ports.js';
import { read } from './commands/read.js';
import { samples } from './commands/samples.js';
import { scan } from './commands/scan.js';
import { serve } from './commands/serve.js';
import { simulate } from './commands/simulate.js';
import { site } from './commands/site.js';
import { tokens } from './commands/tokens.js';
import { users } from './commands/users.js';
import { virtual } from './commands/virtual.js';

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  serve: { run: serve, help: 'run the engine headless with the APIs and the browser UI' },
  ports: { run: ports, help: 'list serial ports with USB ids' },
  read: { run: read, help: 'read every signal of a meter once' },
  scan: { run: scan, help: 'find meters: scan rtu|tcp|mbus|p1 (unit ids, baud rates, hosts)' },
  configure: { run: configure, help: "read or write a meter's settings (CT ratio, system type, …)" },
  check: { run: check, help: "check a meter's wiring against the configuration" },
  monitor: { run: monitor, help: 'poll a meter and print every Modbus frame on the bus' },
  simulate: { run: simulate, help: 'run a simulated meter as a real Modbus slave (rtu|tcp)' },
  list: { run: list, help: 'list configured devices → loads → signals' },
  add: { run: add, help: 'add a device to the configuration' },
  remove: { run: remove, help: 'remove a device' },
  users: { run: users, help: 'manage API/UI accounts (add|list|remove)' },
  tokens: { run: tokens, help: 'manage API tokens for the Telemetry API (create|list|revoke)' },
  samples: { run: samples, help: 'import samples from CSV, export history as CSV' },
  virtual: { run: virtual, help: 'add a computed device whose signals are formulas over other signals' },
  site: { run: site, help: 'the site plan: site new|show|export FILE|import FILE (a .emssite file)' },
  decode: { run: decode, help: 'decode a captured M-Bus frame or P1 telegram (hex or binary file)' },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: ems-commissioner <command> [options]   (--json for machine-readable output, --help per command)',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.help}`),
  ].join('\n');
}

/** Runs one CLI invocation; returns the exit code. User errors print one line, never a stack trace. */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`unknown command "${name}"\n${usage()}`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`ems-commissioner ${name}: ${e.message}`);
      return 2;
    }
    if (e instanceof OperationError) {
      io.err(`ems-commissioner ${name}: ${e.message}`);
      return 1;
    }
    io.err(`ems-commissioner ${name}: ${(e as Error).message}`);
    if (process.env.EMS_DEBUG) io.err(String((e as Error).stack));
    return 1;
  }
}
