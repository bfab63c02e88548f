/**
 * `npm start`: opens Lifeboat in Electron when its binary is installed, and
 * otherwise says so in one line and opens the browser host window instead.
 */
import { spawn } from 'node:child_process';
import { LifeboatError, exitCodeFor } from '../shared/errors.js';
import { refuseCoreDumps } from './core-dumps.js';
import { launchBrowserHost } from './browser-host/browser-host.js';
import { findElectronBinary } from './electron-binary.js';
import { packageRoot } from './package-paths.js';

function startElectron(binary: string): void {
  const child = spawn(binary, [packageRoot()], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

async function startBrowserHost(): Promise<void> {
  const host = await launchBrowserHost({ headless: false });
  // Closing the window ends the process, as closing the Electron window does.
  host.page.on('close', () => {
    void host.close().then(() => process.exit(0));
  });
  host.context.on('close', () => process.exit(0));
}

function main(): void {
  // Inherited by Electron and every process it starts, or by the browser host's Chromium (Linux; core-dumps.ts).
  refuseCoreDumps();
  const binary = findElectronBinary();
  if (binary) {
    startElectron(binary);
    return;
  }
  process.stdout.write('Electron binary not installed (see README, "Electron binary"): opening Lifeboat in the browser host.\n');
  startBrowserHost().catch((error: unknown) => {
    if (error instanceof LifeboatError) {
      process.stderr.write(`lifeboat: ${error.message}\n`);
      process.exit(exitCodeFor(error.code));
    }
    throw error;
  });
}

main();
