import type { Db } from './db.js';

export interface OutboxMessage {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** Unix ms when it was queued. */
  t: number;
}

export interface QueuedMessage extends OutboxMessage {
  id: number;
}

/**
 * A bounded, ordered queue of outgoing messages per channel, in the store so a broker outage or a
 * restart loses nothing within the bound. A full queue drops its oldest messages and says how many.
 */
export class OutboxRepo {
  private readonly ins;
  private readonly countStmt;
  private readonly dropStmt;
  private readonly peekStmt;
  private readonly ackStmt;

  constructor(private readonly db: Db) {
    this.ins = db.prepare(
      'INSERT INTO outbox (channel, topic, payload, qos, retain, t) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.countStmt = db.prepare('SELECT count(*) FROM outbox WHERE channel = ?').pluck();
    this.dropStmt = db.prepare(
      'DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE channel = ? ORDER BY id LIMIT ?)',
    );
    this.peekStmt = db.prepare(
      'SELECT id, topic, payload, qos, retain, t FROM outbox WHERE channel = ? AND id > ? ORDER BY id LIMIT ?',
    );
    this.ackStmt = db.prepare('DELETE FROM outbox WHERE channel = ? AND id <= ?');
  }

  /** Appends messages in one transaction; returns how many of the oldest had to go to stay within `limit`. */
  push(channel: string, messages: readonly OutboxMessage[], limit: number): number {
    if (!messages.length) return 0;
    return this.db
      .transaction(() => {
        for (const m of messages) this.ins.run(channel, m.topic, m.payload, m.qos, m.retain ? 1 : 0, m.t);
        const over = (this.countStmt.get(channel) as number) - limit;
        if (over > 0) this.dropStmt.run(channel, over);
        return Math.max(0, over);
      })
      .immediate();
  }

  /** The oldest `n` messages after id `after`, without removing them. */
  peek(channel: string, n: number, after = 0): QueuedMessage[] {
    return (
      this.peekStmt.all(channel, after, n) as {
        id: number;
        topic: string;
        payload: string;
        qos: 0 | 1 | 2;
        retain: number;
        t: number;
      }[]
    ).map((r) => ({ ...r, retain: r.retain === 1 }));
  }

  /** Removes every message up to and including `id` (they reached the peer). */
  ack(channel: string, id: number): number {
    return this.ackStmt.run(channel, id).changes;
  }

  count(channel: string): number {
    return this.countStmt.get(channel) as number;
  }

  clear(channel: string): number {
    return this.ackStmt.run(channel, Number.MAX_SAFE_INTEGER).changes;
  }
}
