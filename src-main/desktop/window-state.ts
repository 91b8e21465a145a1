import type { MetaRepo } from '../store/meta-repo.js';

/**
 * The desktop window's size and place, remembered in the settings the desktop runtime keeps (the
 * store's meta table, next to the API address and retention). Pure functions apart from the two
 * that read and write the store, so they run in plain Node: Electron's `screen` and `BrowserWindow`
 * are only touched in src-main/electron/.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState extends Rect {
  /** Maximised when closed; the rectangle is then the size it returns to when un-maximised. */
  maximized: boolean;
}

/** Where a window opens: without x/y Electron centres it on the primary display. */
export interface Placement {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const WINDOW_STATE_KEY = 'settings.window';
export const DEFAULT_WINDOW = { width: 1400, height: 900 } as const;
export const MIN_WINDOW = { width: 800, height: 560 } as const;
/** At least this much of the window (its title bar, in practice) must land on a display to be reachable. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;
/** Anything beyond this is not a window size but a damaged value. */
const MAX_COORD = 100_000;

export interface Parsed {
  state: WindowState | undefined;
  /** Why a saved value was not used (for a warning in the log); absent when nothing was saved. */
  warning?: string;
}

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** A saved value, validated field by field; anything damaged gives no state and a reason. */
export function parseWindowState(raw: string | undefined): Parsed {
  if (raw === undefined || raw === '') return { state: undefined };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { state: undefined, warning: 'saved window state is not JSON' };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    return { state: undefined, warning: 'saved window state is not an object' };
  const o = v as Record<string, unknown>;
  for (const k of ['x', 'y'] as const)
    if (!isInt(o[k], -MAX_COORD, MAX_COORD))
      return { state: undefined, warning: `saved window state: ${k} is not a whole number in range` };
  for (const k of ['width', 'height'] as const)
    if (!isInt(o[k], 1, MAX_COORD))
      return { state: undefined, warning: `saved window state: ${k} is not a positive whole number` };
  if (o.maximized !== undefined && typeof o.maximized !== 'boolean')
    return { state: undefined, warning: 'saved window state: maximized is not true or false' };
  return {
    state: {
      x: o.x as number,
      y: o.y as number,
      width: o.width as number,
      height: o.height as number,
      maximized: o.maximized === true,
    },
  };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), Math.max(lo, hi));

/**
 * Where to open the window, given the saved state and the work areas of the displays there are now.
 * The display that shows most of the saved window gets it, shrunk to fit and moved fully onto it. A
 * window whose display is gone (or that would show less than a title bar anywhere) opens at the
 * default size, centred; so does a first start.
 */
export function placeWindow(
  saved: WindowState | undefined,
  workAreas: readonly Rect[],
  defaults: { width: number; height: number } = DEFAULT_WINDOW,
): Placement {
  const fresh: Placement = { ...defaults, maximized: false };
  if (!saved || workAreas.length === 0) return fresh;
  let best: Rect | undefined;
  let bestArea = 0;
  for (const wa of workAreas) {
    const o = overlap(saved, wa);
    if (
      o.width >= Math.min(MIN_VISIBLE.width, saved.width) &&
      o.height >= Math.min(MIN_VISIBLE.height, saved.height)
    ) {
      const area = o.width * o.height;
      if (area > bestArea) {
        best = wa;
        bestArea = area;
      }
    }
  }
  if (!best) return fresh;
  const width = clamp(saved.width, Math.min(MIN_WINDOW.width, best.width), best.width);
  const height = clamp(saved.height, Math.min(MIN_WINDOW.height, best.height), best.height);
  return {
    x: clamp(saved.x, best.x, best.x + best.width - width),
    y: clamp(saved.y, best.y, best.y + best.height - height),
    width,
    height,
    maximized: saved.maximized,
  };
}

export function readWindowState(meta: MetaRepo): Parsed {
  return parseWindowState(meta.get(WINDOW_STATE_KEY));
}

export function saveWindowState(meta: MetaRepo, s: WindowState): void {
  const r = (n: number): number => Math.round(n);
  meta.set(
    WINDOW_STATE_KEY,
    JSON.stringify({ x: r(s.x), y: r(s.y), width: r(s.width), height: r(s.height), maximized: s.maximized }),
  );
}

/** Calls `fn` once things have been quiet for `ms` (a drag sends many move events); `flush` runs it now. */
export function debounce(fn: () => void, ms: number): { (): void; flush(): void; cancel(): void } {
  let t: ReturnType<typeof setTimeout> | undefined;
  const call = (): void => {
    if (t !== undefined) clearTimeout(t);
    t = setTimeout(() => {
      t = undefined;
      fn();
    }, ms);
  };
  call.cancel = (): void => {
    if (t !== undefined) clearTimeout(t);
    t = undefined;
  };
  call.flush = (): void => {
    call.cancel();
    fn();
  };
  return call;
}
