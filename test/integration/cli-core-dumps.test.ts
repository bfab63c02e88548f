/**
 * The built `lifeboat` command refuses core dumps on Linux before it reads
 * anything (electron/core-dumps.ts): it is caught while it waits for its
 * passphrase on a FIFO, and its /proc entries must say that a core dump
 * would hold no memory mapping and that none may be written at all.
 *
 * Runs (imports dist/node: `npm run build:node` first; `npm test` does):
 *   npx vitest run test/integration/cli-core-dumps.test.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { PRLIMIT_PATHS } from '../../electron/core-dumps.js';
import { CLI, cleanEnv } from '../support/cli-run.js';
import { newVault, PASSPHRASES } from '../support/test-vault.js';

let workDir = '';

afterEach(async () => {
  if (workDir) {
    await rm(workDir, { recursive: true, force: true });
  }
});

const linux = process.platform === 'linux';
const prlimitThere = PRLIMIT_PATHS.some((path) => existsSync(path));

it.skipIf(!linux)(
  'leaves no memory to a core dump and sets the core size limit to 0, before reading a passphrase',
  async () => {
    workDir = await mkdtemp(join(tmpdir(), 'lb-core-'));
    const { dir, session } = await newVault(join(workDir, 'ops.lifeboat'));
    await session.lock();
    const fifo = join(workDir, 'passphrase');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);

    const child = spawn(process.execPath, [CLI, 'list', dir, '--as', 'alice', '--passphrase-file', fifo], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    // Opening the FIFO for writing waits until the CLI opens it to read the passphrase: its start-up is over.
    const writer = await open(fifo, 'w');
    const limits = await readFile(`/proc/${String(child.pid)}/limits`, 'utf8');
    const filter = await readFile(`/proc/${String(child.pid)}/coredump_filter`, 'utf8');
    await writer.write(`${PASSPHRASES['alice'] ?? ''}\n`);
    await writer.close();
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code, output).toBe(0);
    expect(Number.parseInt(filter.trim(), 16)).toBe(0);
    const core = /^Max core file size\s+(\S+)\s+(\S+)/m.exec(limits);
    if (prlimitThere) {
      expect(core?.slice(1)).toEqual(['0', '0']);
    }
  },
  60_000,
);
