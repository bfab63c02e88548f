/**
 * The Electron print path, against a mocked `electron` (no Electron binary
 * can run here): the report page gets no JavaScript, its own session, no
 * network, and the hidden window is destroyed even when printing fails.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => {
  const state = {
    filter: null as null | ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void),
    options: null as null | Record<string, unknown>,
    loaded: '',
    destroyed: 0,
    failPrint: false,
  };
  const printSession = {
    webRequest: {
      onBeforeRequest: (filter: NonNullable<typeof state.filter>) => {
        state.filter = filter;
      },
    },
  };
  class FakeWindow {
    webContents = {
      printToPDF: () => (state.failPrint ? Promise.reject(new Error('printer on fire')) : Promise.resolve(Buffer.from('%PDF-1.4 fake'))),
    };
    constructor(options: Record<string, unknown>) {
      state.options = options;
    }
    loadURL(url: string): Promise<void> {
      state.loaded = url;
      return Promise.resolve();
    }
    destroy(): void {
      state.destroyed += 1;
    }
  }
  return { state, electron: { BrowserWindow: FakeWindow, session: { fromPartition: vi.fn(() => printSession) } } };
});
vi.mock('electron', () => h.electron);

const { printHtmlToPdf } = await import('./pdf-window.js');

beforeEach(() => {
  Object.assign(h.state, { filter: null, options: null, loaded: '', destroyed: 0, failPrint: false });
});

describe('printHtmlToPdf (Electron)', () => {
  it('prints the page from a data: URL in a hidden, script-less window of its own session', async () => {
    const pdf = await printHtmlToPdf('<p>Évidence</p>');
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-1.4 fake');
    const prefs = h.state.options?.['webPreferences'] as Record<string, unknown>;
    expect(h.state.options?.['show']).toBe(false);
    expect(prefs['javascript']).toBe(false);
    expect(prefs['sandbox']).toBe(true);
    expect(h.electron.session.fromPartition).toHaveBeenCalledWith('lifeboat-print');
    expect(h.state.loaded.startsWith('data:text/html;charset=utf-8;base64,')).toBe(true);
    expect(Buffer.from(h.state.loaded.split(',')[1] ?? '', 'base64').toString('utf8')).toBe('<p>Évidence</p>');
    expect(h.state.destroyed).toBe(1);
  });

  it('cancels every request but the report itself', async () => {
    await printHtmlToPdf('<p>x</p>');
    const decide = (url: string): boolean => {
      let cancel = false;
      h.state.filter?.({ url }, (response) => {
        cancel = response.cancel;
      });
      return cancel;
    };
    expect(decide('data:text/html;charset=utf-8;base64,AAAA')).toBe(false);
    expect(decide('https://example.com/pixel.png')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
  });

  it('destroys the window when printing fails', async () => {
    h.state.failPrint = true;
    await expect(printHtmlToPdf('<p>x</p>')).rejects.toThrow('printer on fire');
    expect(h.state.destroyed).toBe(1);
  });
});
