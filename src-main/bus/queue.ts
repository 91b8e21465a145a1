/**
 * Runs tasks one at a time in arrival order: one request on a physical line at any moment. A task that
 * finds the line free starts at once, without a promise hop; the others wait their turn in a list.
 */
export class SerialQueue {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  /** Nothing runs: an acquire now takes the line at once. */
  get free(): boolean {
    return !this.busy;
  }

  /** Tasks running or waiting. */
  get length(): number {
    return (this.busy ? 1 : 0) + this.waiting.length;
  }

  /**
   * Takes the line: undefined when it was free (it is now the caller's), else a promise that resolves
   * when it is the caller's turn. Every acquire is paired with one release.
   */
  acquire(): Promise<void> | undefined {
    if (!this.busy) {
      this.busy = true;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the line to the next waiting task, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.acquire();
    if (turn) await turn;
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
