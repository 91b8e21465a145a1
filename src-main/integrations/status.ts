import type { IntegrationStatus } from '../../src-preload/contract/views-integrations.js';

export type { IntegrationStatus };

/** The counters every integration keeps; `snapshot()` is what the UI and the API show. */
export class IntegrationState {
  connected: boolean | null = false;
  target: string | null = null;
  backlog = 0;
  dropped = 0;
  sent = 0;
  lastError: string | null = null;
  lastErrorAt: number | null = null;

  constructor(readonly name: IntegrationStatus['name']) {}

  fail(err: unknown): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    this.lastErrorAt = Date.now();
  }

  snapshot(enabled: boolean): IntegrationStatus {
    return {
      name: this.name,
      enabled,
      connected: this.connected,
      target: this.target,
      backlog: this.backlog,
      dropped: this.dropped,
      sent: this.sent,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
    };
  }
}

/** One running integration as the hub sees it. */
export interface Integration {
  readonly state: IntegrationState;
  status(): IntegrationStatus;
  stop(): Promise<void>;
}
