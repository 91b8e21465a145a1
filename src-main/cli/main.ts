import { OperationError, processIo, UsageError, type Io } from './args.js';

type Command = (argv: string[], io: Io) => Promise<number>;

/**
 * Each command's module is imported only when that command runs: `--help` and a usage error stay
 * free of the engine, the HTTP server and the native modules.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; help: string }> = {
  serve: {
    load: async () => (await import('./commands/serve.js')).serve,
    help: 'run the engine headless with the APIs and the browser UI',
  },
  ports: {
    load: async () => (await import('./commands/ports.js')).ports,
    help: 'list serial ports with USB ids',
  },
  read: {
    load: async () => (await import('./commands/read.js')).read,
    help: 'read every signal of a meter once',
  },
  scan: {
    load: async () => (await import('./commands/scan.js')).scan,
    help: 'find meters: scan rtu|tcp|mbus|p1 (unit ids, baud rates, hosts)',
  },
  configure: {
    load: async () => (await import('./commands/configure.js')).configure,
    help: "read or write a meter's settings (CT ratio, system type, …)",
  },
  check: {
    load: async () => (await import('./commands/check.js')).check,
    help: "check a meter's wiring against the configuration",
  },
  monitor: {
    load: async () => (await import('./commands/monitor.js')).monitor,
    help: 'poll a meter and print every Modbus frame on the bus',
  },
  simulate: {
    load: async () => (await import('./commands/simulate.js')).simulate,
    help: 'run a simulated meter as a real Modbus slave (rtu|tcp)',
  },
  list: {
    load: async () => (await import('./commands/config.js')).list,
    help: 'list configured devices → loads → signals',
  },
  add: {
    load: async () => (await import('./commands/config.js')).add,
    help: 'add a device to the configuration',
  },
  remove: { load: async () => (await import('./commands/config.js')).remove, help: 'remove a device' },
  users: {
    load: async () => (await import('./commands/users.js')).users,
    help: 'manage API/UI accounts (add|list|remove)',
  },
  tokens: {
    load: async () => (await import('./commands/tokens.js')).tokens,
    help: 'manage API tokens for the Telemetry API (create|list|revoke)',
  },
  samples: {
    load: async () => (await import('./commands/samples.js')).samples,
    help: 'import samples from CSV, export history as CSV',
  },
  virtual: {
    load: async () => (await import('./commands/virtual.js')).virtual,
    help: 'add a computed device whose signals are formulas over other signals',
  },
  site: {
    load: async () => (await import('./commands/site.js')).site,
    help: 'the site plan (.emssite file) and commissioning against it: site new|show|export|import|check|write-plan|check-wiring|cross-check|baseline|drift',
  },
  report: {
    load: async () => (await import('./commands/report.js')).report,
    help: 'the commissioning report of the site: report --out FILE.pdf|FILE.html',
  },
  probe: {
    load: async () => (await import('./commands/probe.js')).probe,
    help: 'read a register range of an undescribed device and show every plausible decoding',
  },
  decode: {
    load: async () => (await import('./commands/decode.js')).decode,
    help: 'decode a captured M-Bus frame or P1 telegram (hex or binary file)',
  },
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
    return await (
      await cmd.load()
    )(rest, io);
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
