import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SignalCatalogue } from '../devices/catalogue.js';
import type { DeviceLibrary } from '../devices/library.js';
import { parseModel } from '../devices/library.js';
import type { DeviceModel } from '../devices/model-schema.js';
import { logger } from '../util/log.js';

const log = logger('user-models');

/**
 * Register maps made on site: model files kept next to the database (`models/<id>.json`), checked
 * by the same schema and checks as the built-in library, added to the engine's library at start and
 * the moment one is saved or imported.
 */
export class UserModels {
  /** null for an in-memory database: nothing is kept between runs, and saving says so. */
  readonly dir: string | null;

  constructor(
    dbFile: string,
    private readonly library: DeviceLibrary,
    private readonly catalogue: SignalCatalogue,
  ) {
    this.dir = dbFile === ':memory:' ? null : join(dirname(dbFile), 'models');
  }

  /** Loads every saved map; a file that no longer passes the checks is skipped with a warning, not fatal. */
  loadAll(): DeviceModel[] {
    if (!this.dir || !existsSync(this.dir)) return [];
    const out: DeviceModel[] = [];
    for (const f of readdirSync(this.dir)
      .filter((x) => x.endsWith('.json'))
      .sort()) {
      const file = join(this.dir, f);
      try {
        const m = parseModel(JSON.parse(readFileSync(file, 'utf8')), file, this.catalogue);
        this.library.put(m);
        out.push(m);
      } catch (e) {
        log.warn({ file, err: (e as Error).message.split('\n')[0] }, 'user model skipped');
      }
    }
    return out;
  }

  /** Checks a model (throws with every problem and its path), writes it and puts it into the library. */
  save(data: unknown, what = 'model'): DeviceModel {
    const model = parseModel(data, what, this.catalogue);
    if (this.library.isBuiltIn(model.id))
      throw new Error(`${what}: "${model.id}" is a model of the built-in library; choose another id`);
    if (!this.dir)
      throw new Error('this engine has no data folder (in-memory database): maps cannot be saved');
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${model.id}.json`);
    // Written whole then renamed, so a crash never leaves half a model file.
    writeFileSync(`${file}.tmp`, `${JSON.stringify(model, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    this.library.put(model);
    return model;
  }
}
