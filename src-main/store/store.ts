import { ChangeStamp } from './change-stamp.js';
import { ConfigRepo } from './config-repo.js';
import { ConfigWritesRepo } from './config-writes-repo.js';
import { openDatabase, type Db } from './db.js';
import { HistoryQueries } from './history-queries.js';
import { MetaRepo } from './meta-repo.js';
import { MeterSettingsRepo } from './meter-settings-repo.js';
import { RawSamples } from './raw-samples.js';
import { OutboxRepo } from './outbox-repo.js';
import { SamplesRepo } from './samples-repo.js';
import { SiteRepo } from './site-repo.js';
import { TelemetryQueries } from './telemetry-queries.js';
import { TokensRepo } from './tokens-repo.js';
import { UsersRepo } from './users-repo.js';

export interface StoreOptions {
  file: string;
  /** How long raw samples are kept; roll-ups are kept. Default 7 days. */
  rawRetentionMs?: number;
  /** How long a write waits for another process's lock, ms. Default `BUSY_TIMEOUT_MS`. */
  busyTimeoutMs?: number;
}

/** The only owner of the database; everything else goes through its repositories. */
export class Store {
  readonly db: Db;
  readonly config: ConfigRepo;
  /** Raw samples: the one reader and writer of them. */
  readonly raw: RawSamples;
  readonly samples: SamplesRepo;
  readonly users: UsersRepo;
  readonly meta: MetaRepo;
  /** The last configuration read of each meter, and the site's main meter. */
  readonly meterSettings: MeterSettingsRepo;
  readonly tokens: TokensRepo;
  readonly historyQueries: HistoryQueries;
  readonly telemetry: TelemetryQueries;
  /** Audit log of meter setting writes. */
  readonly configWrites: ConfigWritesRepo;
  /** The site plan, its commissioning results and the hand-over baseline. */
  readonly site: SiteRepo;
  readonly rawRetentionMs: number;
  /** Messages of the integrations waiting for their peer (MQTT). */
  readonly outbox: OutboxRepo;
  /** Tells readers when the database changed, so answers can be kept until then. */
  readonly changes: ChangeStamp;

  constructor(readonly options: StoreOptions) {
    this.db = openDatabase(options.file, options.busyTimeoutMs);
    this.config = new ConfigRepo(this.db);
    this.raw = new RawSamples(this.db);
    this.samples = new SamplesRepo(this.db, this.raw);
    for (const [uid, d] of this.config.deadbands()) this.samples.setDeadband(uid, d);
    this.config.onDeadband = (uid, d) => this.samples.setDeadband(uid, d);
    this.users = new UsersRepo(this.db);
    this.meta = new MetaRepo(this.db);
    this.meterSettings = new MeterSettingsRepo(this.meta);
    this.tokens = new TokensRepo(this.db);
    this.historyQueries = new HistoryQueries(this.db);
    this.telemetry = new TelemetryQueries(this.db, this.raw);
    this.configWrites = new ConfigWritesRepo(this.db);
    this.site = new SiteRepo(this.db);
    this.changes = new ChangeStamp(this.db);
    this.rawRetentionMs = options.rawRetentionMs ?? 7 * 24 * 3600_000;
    this.outbox = new OutboxRepo(this.db);
  }

  close(): void {
    try {
      this.samples.flush();
    } finally {
      this.db.close();
    }
  }
}
