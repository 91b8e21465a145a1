import { ConfigRepo } from './config-repo.js';
import { openDatabase, type Db } from './db.js';
import { MetaRepo } from './meta-repo.js';
import { SamplesRepo } from './samples-repo.js';
import { UsersRepo } from './users-repo.js';

export interface StoreOptions {
  file: string;
  /** How long raw samples are kept; roll-ups are kept. Default 7 days. */
  rawRetentionMs?: number;
}

/** The only owner of the database; everything else goes through its repositories. */
export class Store {
  readonly db: Db;
  readonly config: ConfigRepo;
  readonly samples: SamplesRepo;
  readonly users: UsersRepo;
  readonly meta: MetaRepo;
  readonly rawRetentionMs: number;

  constructor(readonly options: StoreOptions) {
    this.db = openDatabase(options.file);
    this.config = new ConfigRepo(this.db);
    this.samples = new SamplesRepo(this.db);
    this.users = new UsersRepo(this.db);
    this.meta = new MetaRepo(this.db);
    this.rawRetentionMs = options.rawRetentionMs ?? 7 * 24 * 3600_000;
  }

  close(): void {
    try {
      this.samples.flush();
    } finally {
      this.db.close();
    }
  }
}
