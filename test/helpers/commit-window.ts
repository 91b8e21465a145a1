import { FOREIGN_COMMIT_MS } from '../../src-main/store/change-stamp.js';

/** Waits until a commit by another connection or process counts for the change stamp (see ChangeStamp). */
export const pastForeignCommitWindow = (): Promise<void> =>
  new Promise((r) => setTimeout(r, FOREIGN_COMMIT_MS + 1));
