/**
 * The layering is a promise to every later change: these tests lint small
 * snippets as if they lived in each layer and check that ESLint refuses the
 * imports that climb the wrong way (and accepts the ones that are allowed).
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The layering rules need no type information, so the probes are linted
// without it: faster, and independent of the TypeScript programs' state.
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [tseslint.configs.disableTypeChecked] });

async function restrictedImports(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  const messages = result?.messages ?? [];
  // A parse failure would otherwise look like "no restricted import found".
  expect(messages.filter((m) => m.fatal === true)).toEqual([]);
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// Each case is linted as if it were a file of that layer.
const cases: { layer: string; file: string; importLine: string; allowed: boolean }[] = [
  { layer: 'renderer', file: 'renderer/src/main.tsx', importLine: "import { readFile } from 'node:fs';", allowed: false },
  { layer: 'renderer', file: 'renderer/src/main.tsx', importLine: "import { createRouter } from '../../electron/ipc/router';", allowed: false },
  { layer: 'renderer', file: 'renderer/src/main.tsx', importLine: "import { ipcRenderer } from 'electron';", allowed: false },
  { layer: 'renderer', file: 'renderer/src/main.tsx', importLine: "import { isChannelName } from '../../shared/channel-names';", allowed: true },
  { layer: 'shared', file: 'shared/errors.ts', importLine: "import { join } from 'node:path';", allowed: false },
  { layer: 'shared', file: 'shared/errors.ts', importLine: "import { createRouter } from '../electron/ipc/router.js';", allowed: false },
  { layer: 'shared', file: 'shared/errors.ts', importLine: "import { useState } from 'react';", allowed: false },
  { layer: 'vault', file: 'electron/vault/self-test.ts', importLine: "import { app } from 'electron';", allowed: false },
  { layer: 'vault', file: 'electron/vault/self-test.ts', importLine: "import { createRouter } from '../ipc/router.js';", allowed: false },
  { layer: 'vault', file: 'electron/vault/self-test.ts', importLine: "import { readFile } from 'node:fs/promises';", allowed: true },
  { layer: 'vault', file: 'electron/vault/self-test.ts', importLine: "import { computePlan } from '../recovery/recovery-plan.js';", allowed: false },
  { layer: 'recovery', file: 'electron/recovery/recovery-plan.ts', importLine: "import { createRouter } from '../ipc/router.js';", allowed: false },
  { layer: 'recovery', file: 'electron/recovery/recovery-plan.ts', importLine: "import { BrowserWindow } from 'electron';", allowed: false },
  { layer: 'recovery', file: 'electron/recovery/recovery-plan.ts', importLine: "import { lastSync } from '../catalog/catalog-trust.js';", allowed: true },
  { layer: 'ipc', file: 'electron/ipc/router.ts', importLine: "import { ipcMain } from 'electron';", allowed: false },
  { layer: 'ipc', file: 'electron/ipc/router.ts', importLine: "import { launchBrowserHost } from '../browser-host/browser-host.js';", allowed: false },
  { layer: 'cli', file: 'electron/cli/run-cli.ts', importLine: "import { createMainWindowOptions } from '../app/window-policy.js';", allowed: false },
  { layer: 'vault', file: 'electron/vault/records/vault-records.ts', importLine: "import { encodeShare } from '../../quorum/share-codec.js';", allowed: false },
  {
    layer: 'vault',
    file: 'electron/vault/records/vault-records.ts',
    importLine: "import type { PdfPrinter } from '../../printing/pdf-printer.js';",
    allowed: false,
  },
  { layer: 'recovery', file: 'electron/recovery/report-export.ts', importLine: "import { writeShareSheets } from '../quorum/share-sheet.js';", allowed: false },
  {
    layer: 'recovery',
    file: 'electron/recovery/report-export.ts',
    importLine: "import { chromiumPdfPrinter } from '../chromium/chromium-pdf-printer.js';",
    allowed: false,
  },
  { layer: 'recovery', file: 'electron/recovery/report-export.ts', importLine: "import type { PdfPrinter } from '../printing/pdf-printer.js';", allowed: true },
  { layer: 'quorum', file: 'electron/quorum/share-sheet.ts', importLine: "import { computePlan } from '../recovery/recovery-plan.js';", allowed: false },
  { layer: 'quorum', file: 'electron/quorum/share-sheet.ts', importLine: "import { openVault } from '../vault/vault-open.js';", allowed: true },
  { layer: 'printing', file: 'electron/printing/printable-page.ts', importLine: "import { openVault } from '../vault/vault-open.js';", allowed: false },
  { layer: 'printing', file: 'electron/printing/printable-page.ts', importLine: "import { LifeboatError } from '../../shared/errors.js';", allowed: true },
  { layer: 'chromium', file: 'electron/chromium/chromium-runtime.ts', importLine: "import { openVault } from '../vault/vault-open.js';", allowed: false },
  { layer: 'ipc', file: 'electron/ipc/handlers.ts', importLine: "import { chromiumPdfPrinter } from '../chromium/chromium-pdf-printer.js';", allowed: false },
  { layer: 'cli', file: 'electron/cli/run-cli.ts', importLine: "import { launchBrowserHost } from '../browser-host/browser-host.js';", allowed: false },
  { layer: 'cli', file: 'electron/cli/run-cli.ts', importLine: "import { chromiumPdfPrinter } from '../chromium/chromium-pdf-printer.js';", allowed: true },
  { layer: 'browser-host', file: 'electron/browser-host/browser-host.ts', importLine: "import { runCli } from '../cli/run-cli.js';", allowed: false },
  { layer: 'ipc', file: 'electron/ipc/vault-handlers.ts', importLine: "import { openRecord } from '../vault/records/vault-records.js';", allowed: false },
  { layer: 'ipc', file: 'electron/ipc/vault-handlers.ts', importLine: "import { syncCatalog } from '../catalog/catalog-sync.js';", allowed: false },
  { layer: 'ipc', file: 'electron/ipc/vault-handlers.ts', importLine: "import { openRecord } from '../operations/records.js';", allowed: true },
  { layer: 'operations', file: 'electron/operations/records.ts', importLine: "import { createRouter } from '../ipc/router.js';", allowed: false },
  { layer: 'operations', file: 'electron/operations/records.ts', importLine: "import { runCli } from '../cli/run-cli.js';", allowed: false },
  { layer: 'operations', file: 'electron/operations/records.ts', importLine: "import { openRecord } from '../vault/records/vault-records.js';", allowed: true },
  { layer: 'vault', file: 'electron/vault/vault-open.ts', importLine: "import { createShares } from '../operations/quorum.js';", allowed: false },
  { layer: 'recovery', file: 'electron/recovery/recovery-plan.ts', importLine: "import { createShares } from '../operations/quorum.js';", allowed: false },
  { layer: 'cli', file: 'electron/cli/verbs/show.ts', importLine: "import { openRecord } from '../../vault/records/vault-records.js';", allowed: false },
  { layer: 'cli', file: 'electron/cli/verbs/show.ts', importLine: "import { createShares } from '../../quorum/quorum-shares.js';", allowed: false },
  { layer: 'cli', file: 'electron/cli/verbs/show.ts', importLine: "import { openRecord } from '../../operations/records.js';", allowed: true },
  { layer: 'preload', file: 'electron/app/preload.ts', importLine: "import { createMainWindowOptions } from './window-policy.js';", allowed: false },
  { layer: 'preload', file: 'electron/app/preload.ts', importLine: "import { readFileSync } from 'node:fs';", allowed: false },
  { layer: 'preload', file: 'electron/app/preload.ts', importLine: "import { isChannelName } from '../../shared/channel-names.js';", allowed: true },
];

describe('import layering (ESLint)', () => {
  it.each(cases)('$layer: $importLine → allowed=$allowed', async ({ file, importLine, allowed }) => {
    const messages = await restrictedImports(file, `${importLine}\nexport {};\n`);
    if (allowed) {
      expect(messages).toEqual([]);
    } else {
      expect(messages.length).toBeGreaterThan(0);
    }
  });
});
