import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerMemo } from '../../src-main/api/memo.js';
import { Store } from '../../src-main/store/store.js';

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
      // Another connection's commit counts from the next stretch of work on (as a commit by another
      // process landing just after this one), a write of our own at once.
      expect(read()).toBe('2');
      await Promise.resolve();
      expect(read()).toBe('3');
      expect(memo.get('other', () => 'x').toString()).toBe('x');
      expect(read()).toBe('3');
    } finally {
      b.close();
      a.close();
    }
  });
});
