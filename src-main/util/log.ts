import pino, { type Logger } from 'pino';

let root: Logger | undefined;

/** Namespaced loggers on stderr (stdout belongs to command output). Secrets are redacted by path. */
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
    pino.destination(2),
  );
  return root.child({ ns });
}
