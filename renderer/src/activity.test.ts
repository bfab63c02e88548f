import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LifeboatApi } from '../../shared/api';
import { ACTIVITY_EVENTS, KEEP_ALIVE_MS, lastActivity, noteRequest, trackActivity } from './activity';
import { invoke } from './lifeboat-client';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the idle countdown’s clock', () => {
  it('moves with every request through the client, whichever store or screen sends it', async () => {
    const api: LifeboatApi = { invoke: vi.fn(() => Promise.resolve({ ok: true, value: [] })) as LifeboatApi['invoke'], onProgress: () => () => undefined };
    vi.stubGlobal('window', { lifeboat: api });
    noteRequest(1000);
    const before = Date.now();
    await invoke('records:list', {});
    expect(lastActivity()).toBeGreaterThanOrEqual(before);
    noteRequest(1000);
    await invoke('sessions:list', {});
    expect(lastActivity()).toBeGreaterThanOrEqual(before);
  });

  it('does not move for a call that never reaches main (no engine connected)', async () => {
    vi.stubGlobal('window', {});
    noteRequest(1000);
    const result = await invoke('records:list', {});
    expect(result.ok).toBe(false);
    expect(lastActivity()).toBe(1000);
  });
});

describe('activity in the window', () => {
  function setup(open = true) {
    const target = new EventTarget();
    let clock = 0;
    const due: { at: number; run: () => void }[] = [];
    const timers = {
      setTimeout: ((run: () => void, ms: number) => due.push({ at: clock + ms, run })) as unknown as typeof setTimeout,
      clearTimeout: (() => {
        due.length = 0;
      }) as typeof clearTimeout,
    };
    const keepAlive = vi.fn(() => open);
    const stop = trackActivity(target, keepAlive, () => clock, timers);
    /** Moves the clock to `ms`, running the trailing report if it falls due. */
    const tick = (ms: number): void => {
      clock = ms;
      for (const timer of due.splice(0)) {
        if (timer.at <= ms) {
          timer.run();
        } else {
          due.push(timer);
        }
      }
    };
    const at = (ms: number, type: (typeof ACTIVITY_EVENTS)[number]): void => {
      tick(ms);
      target.dispatchEvent(new Event(type));
    };
    return { keepAlive, stop, at, tick };
  }

  it('is reported at once, then at most every KEEP_ALIVE_MS however busy the pointer is', () => {
    const { keepAlive, at } = setup();
    at(0, 'keydown');
    expect(keepAlive).toHaveBeenCalledTimes(1);
    for (let ms = 10; ms < KEEP_ALIVE_MS; ms += 10) {
      at(ms, 'pointermove');
    }
    expect(keepAlive).toHaveBeenCalledTimes(1);
    at(KEEP_ALIVE_MS, 'scroll');
    expect(keepAlive).toHaveBeenCalledTimes(2);
  });

  it('reports activity inside a quiet period when the period ends, once', () => {
    const { keepAlive, at, tick } = setup();
    at(0, 'wheel');
    at(14_000, 'wheel');
    at(14_500, 'keydown');
    expect(keepAlive).toHaveBeenCalledTimes(1);
    tick(KEEP_ALIVE_MS);
    expect(keepAlive).toHaveBeenCalledTimes(2);
    tick(3 * KEEP_ALIVE_MS);
    expect(keepAlive).toHaveBeenCalledTimes(2);
  });

  it('reading a runbook for 2 minutes (a wheel every 8 s) reaches main at least every 16 s', () => {
    const { keepAlive, at } = setup();
    for (let ms = 0; ms <= 120_000; ms += 8000) {
      at(ms, 'wheel');
    }
    expect(keepAlive.mock.calls.length).toBeGreaterThanOrEqual(120_000 / 16_000);
  });

  it.each(ACTIVITY_EVENTS.map((type) => [type]))('counts %s', (type) => {
    const { keepAlive, at } = setup();
    at(0, type);
    expect(keepAlive).toHaveBeenCalledTimes(1);
  });

  it('tries again on the next activity when there was nothing to keep alive', () => {
    const { keepAlive, at } = setup(false);
    at(0, 'keydown');
    at(1, 'keydown');
    expect(keepAlive).toHaveBeenCalledTimes(2);
  });

  it('stops listening when asked', () => {
    const { keepAlive, stop, at } = setup();
    stop();
    at(0, 'keydown');
    expect(keepAlive).not.toHaveBeenCalled();
  });
});
