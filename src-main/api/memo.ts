import type { ChangeStamp } from '../store/change-stamp.js';

/**
 * Serialized answers kept until the database changes (at most once per poll cycle for live values):
 * a repeated request costs a lookup instead of a query and a serialisation. Kept as UTF-8 bytes, so
 * a repeated answer is not encoded again for every socket write. Bounded per route.
 */
export class AnswerMemo {
  private stamp = '';
  private readonly answers = new Map<string, Buffer>();

  constructor(
    private readonly changes: ChangeStamp,
    private readonly max = 64,
  ) {}

  get(key: string, build: () => string): Buffer {
    const now = this.changes.current();
    if (now !== this.stamp) {
      this.answers.clear();
      this.stamp = now;
    }
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = Buffer.from(build());
      if (this.answers.size >= this.max) this.answers.clear();
      this.answers.set(key, answer);
    }
    return answer;
  }
}
