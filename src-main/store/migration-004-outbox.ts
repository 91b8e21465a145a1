import type { Migration } from './migrations.js';

/**
 * Outgoing messages of the integrations (MQTT) that wait for their peer, oldest first. One table for
 * every channel; each integration bounds its own share (OutboxRepo.push).
 */
export const OUTBOX_MIGRATION: Migration = {
  version: 4,
  description: 'outbox: messages waiting for an unreachable MQTT broker',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        topic TEXT NOT NULL,
        payload TEXT NOT NULL,
        qos INTEGER NOT NULL CHECK (qos IN (0, 1, 2)),
        retain INTEGER NOT NULL DEFAULT 0,
        t INTEGER NOT NULL
      );
      CREATE INDEX outbox_channel ON outbox(channel, id);
    `);
  },
};
