import type { Site, SiteFile, SiteInfo } from '../../src-preload/contract/site.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { Store } from '../store/store.js';
import { checkSite, parseSiteFile, plannedFromDevice, SiteFileError, toSiteFile } from './site-file.js';

export class SiteError extends Error {
  constructor(
    readonly code: 'no-site' | 'not-found' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'SiteError';
  }
}

export const EMPTY_INFO: SiteInfo = { name: '', address: '', customer: '', installer: '', notes: '' };

/** The site plan kept in the store: read, saved whole after validation, imported and exported. */
export class SitePlan {
  constructor(
    private readonly store: Store,
    private readonly library: DeviceLibrary,
  ) {}

  get(): Site | null {
    const doc = this.store.site.get();
    return doc === undefined ? null : (JSON.parse(doc) as Site);
  }

  require(): Site {
    const site = this.get();
    if (!site) throw new SiteError('no-site', 'no site yet: start one with `site new` or import a site file');
    return site;
  }

  /** Validates the whole document, then stores it in one write: a bad edit changes nothing. */
  save(data: unknown): Site {
    const site = checkSite(data, this.library);
    this.store.site.set(JSON.stringify(site));
    return site;
  }

  /** A new site; `fromConfig` plans every configured device as it is set up now. */
  create(info: Partial<SiteInfo> & { name: string }, fromConfig = false): Site {
    const devices = fromConfig
      ? this.store.config.devices().flatMap((d) => {
          const load = this.store.config.loads({ did: d.uid })[0];
          const meter = (load?.settings.meter as Record<string, unknown> | undefined) ?? {};
          const p = plannedFromDevice(d, load?.type ?? 0, meter);
          return p ? [p] : [];
        })
      : [];
    return this.save({ site: { ...EMPTY_INFO, ...info }, devices });
  }

  importFile(text: string): Site {
    const site = parseSiteFile(text, this.library);
    // Checked once more as a store document: the two schemas must never drift apart.
    return this.save(site);
  }

  exportFile(now?: Date): SiteFile {
    return toSiteFile(this.require(), now);
  }
}

export { SiteFileError };
