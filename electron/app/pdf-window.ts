/**
 * Chromium's print-to-PDF inside the Electron shell, for evidence reports.
 * The page is rendered in a hidden window of its own in-memory session:
 * JavaScript off, and every request but the report's own data: URL
 * cancelled, so a report can neither run nor fetch anything.
 */
import { BrowserWindow, session } from 'electron';

const PARTITION = 'lifeboat-print';

export async function printHtmlToPdf(html: string): Promise<Uint8Array> {
  const printSession = session.fromPartition(PARTITION);
  printSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !details.url.startsWith('data:text/html') });
  });
  const window = new BrowserWindow({
    show: false,
    webPreferences: { session: printSession, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, spellcheck: false },
  });
  try {
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    return new Uint8Array(pdf);
  } finally {
    window.destroy();
  }
}
