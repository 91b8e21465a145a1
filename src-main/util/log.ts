import pino, { type DestinationStream, type Logger } from 'pino';
import { chooseLogFormat, formatLogLine } from './log-format.js';

let root: Logger | undefined;

/**
 * Where log records go: stderr (stdout belongs to command output). A person at a terminal reads
 * `time level [ns] msg key=value` lines; a file, a pipe or a service manager gets pino's JSON lines.
 */
export interface LogStream {
  isTTY?: boolean;
  fd?: number;
  write(text: string): unknown;
}

export function logDestination(
  stream: LogStream = process.stderr as LogStream,
  env: NodeJS.ProcessEnv = process.env,
): DestinationStream {
  if (chooseLogFormat(stream.isTTY, env) === 'json') return pino.destination(stream.fd ?? 2);
  const color = stream.isTTY === true && env.NO_COLOR === undefined;
  return { write: (line: string) => void stream.write(formatLogLine(line, { color })) };
}

/** Namespaced loggers on stderr. Secrets are redacted by path. */
export function logger(ns: string): Logger {
  root ??= pino(
    {
      level: process.env.EMS_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'secret',
          '*.secret',
          'req.headers.authorization',
          'req.headers["x-enapter-auth-token"]',
        ],
        censor: '[redacted]',
      },
      base: undefined,
    },
    logDestination(),
  );
  return root.child({ ns });
}
