import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  debounce,
  DEFAULT_WINDOW,
  parseWindowState,
  placeWindow,
  readWindowState,
  saveWindowState,
  WINDOW_STATE_KEY,
  type Rect,
} from '../../src-main/desktop/window-state.js';
import { Store } from '../../src-main/store/store.js';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
/** A second screen to the right of the laptop's. */
const external: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('the window’s size and place: parsing what was saved', () => {
  it('a valid value comes back as saved', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":1200,"height":800,"maximized":true}')).toEqual({
      state: { x: 10, y: 20, width: 1200, height: 800, maximized: true },
    });
    expect(parseWindowState('{"x":-1900,"y":0,"width":1200,"height":800}').state?.maximized).toBe(false);
  });

  it('nothing saved: no state and no warning (first start)', () => {
    expect(parseWindowState(undefined)).toEqual({ state: undefined });
    expect(parseWindowState('')).toEqual({ state: undefined });
  });

  it.each([
    ['{not json', /not JSON/],
    ['[1,2,3]', /not an object/],
    ['null', /not an object/],
    ['{"x":"10","y":0,"width":1200,"height":800}', /x is not/],
    ['{"x":0,"y":0.5,"width":1200,"height":800}', /y is not/],
    ['{"x":0,"y":0,"width":0,"height":800}', /width is not/],
    ['{"x":0,"y":0,"width":1200,"height":1e9}', /height is not/],
    ['{"x":0,"y":0,"width":1200,"height":800,"maximized":"yes"}', /maximized/],
  ])('damaged %s: no state, a warning that says what is wrong', (raw, why) => {
    const p = parseWindowState(raw);
    expect(p.state).toBeUndefined();
    expect(p.warning).toMatch(why);
  });
});

describe('the window’s size and place: where it opens', () => {
  const at = (x: number, y: number, width = 1200, height = 800, maximized = false) => ({
    x,
    y,
    width,
    height,
    maximized,
  });

  it('first start, or no displays known: default size, centred by Electron', () => {
    expect(placeWindow(undefined, [laptop])).toEqual({ ...DEFAULT_WINDOW, maximized: false });
    expect(placeWindow(at(10, 10), [])).toEqual({ ...DEFAULT_WINDOW, maximized: false });
  });

  it('fully on a display: exactly where it was, maximised if it was', () => {
    expect(placeWindow(at(100, 50), [laptop])).toEqual(at(100, 50));
    expect(placeWindow(at(2000, 100, 2000, 1200, true), [laptop, external])).toEqual(
      at(2000, 100, 2000, 1200, true),
    );
  });

  it('the saved display is gone (the external screen unplugged): default size, centred', () => {
    expect(placeWindow(at(2200, 100, 1800, 1100, true), [laptop])).toEqual({
      ...DEFAULT_WINDOW,
      maximized: false,
    });
  });

  it('only a sliver still on a display counts as gone', () => {
    // 30 px of width on the laptop: the title bar could not be grabbed.
    expect(placeWindow(at(1890, 100), [laptop]).x).toBeUndefined();
  });

  it('partly off its display: moved fully onto it', () => {
    expect(placeWindow(at(1500, 600), [laptop])).toEqual(at(720, 240));
    expect(placeWindow(at(-300, -20), [laptop])).toEqual(at(0, 0));
  });

  it('larger than the display now (a smaller resolution): shrunk to fit it', () => {
    expect(placeWindow(at(0, 0, 2500, 1400), [laptop])).toEqual(at(0, 0, 1920, 1040));
  });

  it('spanning two displays: goes to the one that showed most of it', () => {
    const p = placeWindow(at(1700, 100, 1200, 800), [laptop, external]);
    expect(p).toEqual(at(1920, 100, 1200, 800));
  });

  it('work areas that do not start at 0 (a task bar on the left, a screen above)', () => {
    const above: Rect = { x: 0, y: -1080, width: 1920, height: 1080 };
    const withBar: Rect = { x: 60, y: 0, width: 1860, height: 1080 };
    expect(placeWindow(at(0, -1000), [withBar, above])).toEqual(at(0, -1000));
    expect(placeWindow(at(20, 100), [withBar])).toEqual(at(60, 100));
  });

  it('a tiny saved window grows to the smallest usable size', () => {
    expect(placeWindow(at(100, 100, 300, 200), [laptop])).toMatchObject({ width: 800, height: 560 });
  });
});

describe('the window’s size and place: in the desktop runtime’s settings', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('saved and read back through the store; a damaged value reads as defaults with a warning', () => {
    dir = mkdtempSync(join(tmpdir(), 'ems-window-'));
    const file = join(dir, 'ems.db');
    let s = new Store({ file });
    expect(readWindowState(s.meta)).toEqual({ state: undefined });
    saveWindowState(s.meta, { x: 10.4, y: 20.6, width: 1280.2, height: 720, maximized: false });
    s.close();
    s = new Store({ file });
    try {
      expect(readWindowState(s.meta).state).toEqual({
        x: 10,
        y: 21,
        width: 1280,
        height: 720,
        maximized: false,
      });
      s.meta.set(WINDOW_STATE_KEY, '{"x":10,');
      const bad = readWindowState(s.meta);
      expect(bad.state).toBeUndefined();
      expect(bad.warning).toMatch(/not JSON/);
      expect(placeWindow(bad.state, [laptop])).toEqual({ ...DEFAULT_WINDOW, maximized: false });
    } finally {
      s.close();
    }
  });
});

describe('debounce (saving once a drag is over)', () => {
  afterEach(() => vi.useRealTimers());

  it('runs once after things are quiet; flush runs at once; cancel drops it', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 500);
    d();
    vi.advanceTimersByTime(300);
    d();
    vi.advanceTimersByTime(300);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(fn).toHaveBeenCalledTimes(1);
    d();
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    d();
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});
