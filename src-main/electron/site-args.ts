import { SITE_FILE_EXTENSION } from '../../src-preload/contract/site.js';

/**
 * Site files handed to the app by the OS: on Windows and Linux as command-line arguments (the file
 * association starts `EMS Commissioner <file>`), after Electron's own and Chromium's switches.
 */
export function siteFilesIn(argv: readonly string[]): string[] {
  return argv.filter((a) => !a.startsWith('-') && a.toLowerCase().endsWith(SITE_FILE_EXTENSION));
}
