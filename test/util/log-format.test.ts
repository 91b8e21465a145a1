import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseLogFormat, formatLogLine } from '../../src-main/util/log-format.js';
import { logDestination, type LogStream } from '../../src-main/util/log.js';

const at = new Date(2026, 11, 3, 7, 5, 9, 42).getTime();

describe('log lines for a terminal', () => {
  it('terminal → human, anything else → JSON; EMS_LOG_FORMAT overrides', () => {
    expect(chooseLogFormat(true, {})).toBe('human');
    expect(chooseLogFormat(false, {})).toBe('json');
    expect(chooseLogFormat(undefined, {})).toBe('json');
    expect(chooseLogFormat(true, { EMS_LOG_FORMAT: 'json' })).toBe('json');
    expect(chooseLogFormat(false, { EMS_LOG_FORMAT: 'human' })).toBe('human');
  });

  it('time level [ns] msg key=value', () => {
    const line = JSON.stringify({
      level: 40,
      time: at,
      ns: 'mqtt',
      msg: 'mqtt queue full: oldest messages dropped',
      dropped: 12,
      target: 'mqtt://broker:1883',
      note: 'two words',
    });
    expect(formatLogLine(line)).toBe(
      '07:05:09.042 WARN  [mqtt] mqtt queue full: oldest messages dropped dropped=12 target=mqtt://broker:1883 note="two words"\n',
    );
  });

  it('a stack follows the line, indented; colour only when asked', () => {
    const line = JSON.stringify({ level: 50, time: at, msg: 'internal error', stack: 'Error: x\n    at y' });
    expect(formatLogLine(line)).toBe('07:05:09.042 ERROR internal error\n    Error: x\n        at y\n');
    expect(formatLogLine(line, { color: true })).toContain('\x1b[31mERROR\x1b[0m');
    const err = JSON.stringify({
      level: 50,
      time: at,
      msg: 'm',
      err: { message: 'boom', stack: 'Error: boom\n at z' },
    });
    expect(formatLogLine(err)).toMatch(/^07:05:09\.042 ERROR m err=\{"message":"boom"\}\n {4}Error: boom\n/);
  });

  it('a line that is not pino JSON is passed on unchanged', () => {
    expect(formatLogLine('plain text')).toBe('plain text\n');
  });

  it('the destination formats for a TTY stream and writes JSON for others', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, fd: 99 }) as LogStream & PassThrough;
    let out = '';
    tty.on('data', (d: Buffer) => (out += d.toString()));
    logDestination(tty, { NO_COLOR: '1' }).write(
      JSON.stringify({ level: 30, time: at, ns: 'api', msg: 'hi' }) + '\n',
    );
    expect(out).toBe('07:05:09.042 INFO  [api] hi\n');
  });
});
