/**
 * Print-to-PDF with Debian's Chromium through playwright-core, for the CLI
 * and the browser host (the Electron shell uses its own webContents). Each
 * print launches a headless Chromium (page.pdf needs headless), with
 * JavaScript off and every request refused: the report page is standalone,
 * so nothing may load and nothing may run.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { LifeboatError } from '../../shared/errors.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { CHROMIUM_FLAGS, childEnvironment, chromiumPath } from './chromium-runtime.js';

export function chromiumPdfPrinter(env: NodeJS.ProcessEnv = process.env): PdfPrinter {
  return async (html) => {
    const executablePath = chromiumPath(env);
    if (!existsSync(executablePath)) {
      throw new LifeboatError(
        'HOST_NO_BROWSER',
        `PDF needs Chromium, which was not found at ${executablePath} (Debian: apt-get install chromium, or set CHROME_PATH).`,
      );
    }
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      chromiumSandbox: process.getuid?.() !== 0,
      args: CHROMIUM_FLAGS,
      env: childEnvironment(env),
    });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block', acceptDownloads: false });
      await context.route('**/*', (route) => route.abort('blockedbyclient'));
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' } });
      return new Uint8Array(pdf);
    } finally {
      await browser.close();
    }
  };
}
