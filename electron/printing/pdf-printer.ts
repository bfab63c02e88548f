/**
 * Printing is a port: the engine side renders standalone HTML (no scripts, no
 * remote content) and a host turns it into PDF bytes. Electron fills it with
 * its own webContents (app/pdf-window.ts); the CLI and the browser host with
 * headless Chromium (chromium/chromium-pdf-printer.ts).
 */

/** Renders standalone HTML to PDF bytes (Chromium, JavaScript off, no network). */
export type PdfPrinter = (html: string) => Promise<Uint8Array>;
