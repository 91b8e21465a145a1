import type { Runtime } from '../runtime.js';
import type { Io } from './args.js';

/**
 * The one-time sign-in link, written straight to the terminal — never through the logger, and not at
 * all when stdout is not a terminal: piped or redirected output may end up in a log file, and the
 * link signs in whoever opens it first. `out` is checked for being a TTY, then written to as it is.
 */
export function showSignInLink(
  rt: Runtime,
  io: Io,
  out: { isTTY?: boolean; write(s: string): unknown } = process.stdout,
): void {
  if (!rt.url) return;
  if (!out.isTTY) {
    io.err(
      'Sign-in link not shown: standard output is not a terminal. Start serve in a terminal for one, or sign in with an account.',
    );
    return;
  }
  const link = rt.signInLink();
  if (!link) return;
  out.write(
    `Open the UI signed in as the local admin (works once, within 10 minutes, on this computer only):\n  ${link}\n`,
  );
}
