import { describe, expect, it } from 'vitest';
import { siteFilesIn } from '../../src-main/electron/site-args.js';

describe('site files handed over on the command line', () => {
  it('takes .emssite paths (any case) and leaves switches and other files', () => {
    expect(
      siteFilesIn([
        '--no-sandbox',
        '/home/tech/Plant A.emssite',
        'C:\\Sites\\B.EMSSITE',
        'notes.txt',
        '--x=y.emssite',
      ]),
    ).toEqual(['/home/tech/Plant A.emssite', 'C:\\Sites\\B.EMSSITE']);
    expect(siteFilesIn(['.'])).toEqual([]);
  });
});
