/**
 * Log lines for a person at a terminal: `12:03:45.120 INFO  [api] message key=value …` instead of
 * pino's JSON (which stays the format for files, pipes and log collectors). Pure functions, so the
 * format is tested without a terminal.
 */

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

// Bright enough on dark and light terminals; off with NO_COLOR (https://no-color.org).
const COLORS: Record<number, string> = {
  10: '\x1b[90m',
  20: '\x1b[90m',
  30: '\x1b[32m',
  40: '\x1b[33m',
  50: '\x1b[31m',
  60: '\x1b[35m',
};
const RESET = '\x1b[0m';

export type LogFormat = 'json' | 'human';

/**
 * Human lines where the log's stream is a terminal, JSON otherwise; EMS_LOG_FORMAT=json|human
 * overrides (e.g. JSON in a terminal to copy into a bug report).
 */
export function chooseLogFormat(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): LogFormat {
  const asked = env.EMS_LOG_FORMAT?.trim().toLowerCase();
  if (asked === 'json') return 'json';
  if (asked === 'human' || asked === 'pretty') return 'human';
  return isTTY ? 'human' : 'json';
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function clock(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '--:--:--.---';
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  return JSON.stringify(v);
}

/**
 * One pino JSON line as a human line (with a trailing newline). Multi-line strings (stacks) follow
 * the line, indented. A line that is not pino JSON is passed on as it is.
 */
export function formatLogLine(json: string, o: { color?: boolean } = {}): string {
  let rec: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return json.endsWith('\n') ? json : `${json}\n`;
    rec = parsed as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const { time, level, msg, ns, pid: _pid, hostname: _host, ...rest } = rec;
  const lv = typeof level === 'number' ? level : 30;
  const name = (LEVELS[lv] ?? `L${lv}`).padEnd(5);
  const head = o.color ? `${COLORS[lv] ?? ''}${name}${RESET}` : name;
  const parts = [clock(time), head];
  if (typeof ns === 'string') parts.push(`[${ns}]`);
  if (msg !== undefined) parts.push(typeof msg === 'string' ? msg : value(msg));
  const tail: string[] = [];
  for (const [k, v] of Object.entries(rest)) {
    if (typeof v === 'string' && v.includes('\n')) tail.push(v);
    else if (v && typeof v === 'object' && typeof (v as { stack?: unknown }).stack === 'string') {
      const { stack, ...other } = v as { stack: string };
      parts.push(
        `${k}=${value(Object.keys(other).length ? other : ((v as { message?: unknown }).message ?? ''))}`,
      );
      tail.push(stack);
    } else parts.push(`${k}=${value(v)}`);
  }
  const extra = tail.map((t) => `\n${t.replace(/^/gm, '    ')}`).join('');
  return `${parts.join(' ')}${extra}\n`;
}
