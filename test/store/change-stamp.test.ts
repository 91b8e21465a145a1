import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerMemo } from '../../src-main/api/memo.js';
import { Store } from '../../src-main/store/store.js';
import { pastForeignCommitWindow } from '../helpers/commit-window.js';

/** One write in another process, as the CLI makes while `serve` runs. */
function otherProcessWrites(file: string, sql: string): void {
  const script = `const D = require('better-sqlite3'); const d = new D(process.argv[1]); d.exec(process.argv[2]); d.close();`;
  execFileSync(process.execPath, ['-e', script, file, sql], { cwd: process.cwd() });
}

describe('ChangeStamp and AnswerMemo', () => {
  it('keeps an answer until this connection writes or another connection commits', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ems-stamp-')), 'ems.db');
    const a = new Store({ file });
    const b = new Store({ file });
    try {
      let builds = 0;
      const memo = new AnswerMemo(a.changes);
      const read = () => memo.get('k', () => String(++builds)).toString();
      expect(read()).toBe('1');
      expect(read()).toBe('1');
      a.meta.serialNumber(); // may write once (first call creates it)
      a.samples.ingest([{ uid: 1, t: 1000, v: 1, s: 1 }]);
      a.samples.flush(1500);
      expect(read()).toBe('2');
      expect(read()).toBe('2');
      b.samples.ingest([{ uid: 1, t: 2000, v: 2, s: 1 }]);
      b.samples.flush(2500);
      // Another connection's commit counts within FOREIGN_COMMIT_MS (as if it landed just after the
      // request), a write of our own at once.
      await pastForeignCommitWindow();
      expect(read()).toBe('3');
      expect(memo.get('other', () => 'x').toString()).toBe('x');
      expect(read()).toBe('3');
    } finally {
      b.close();
      a.close();
    }
  });

  it('counts every commit of another process once the window has passed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ems-stamp-')), 'ems.db');
    const a = new Store({ file });
    try {
      a.meta.set('probe', '0');
      const seen = new Set([a.changes.current()]);
      for (let i = 1; i <= 3; i++) {
        otherProcessWrites(file, `UPDATE meta SET value = '${i}' WHERE key = 'probe'`);
        await pastForeignCommitWindow();
        const now = a.changes.current();
        expect(seen.has(now), `commit ${i} of the other process`).toBe(false);
        seen.add(now);
        expect(a.changes.current()).toBe(now);
      }
    } finally {
      a.close();
    }
  });
});
