import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../../shared/errors.js';
import { APPEND_CREATE_FLAGS, APPEND_FLAGS } from './open-flags.js';
import { appendDurable, describeIoFailure, ensureVaultDir, nodeFileSystem, writeFileAtomic, type FileHandleLike, type FileSystem } from './atomic-file.js';

const onPosix = process.platform !== 'win32';
const isRoot = process.getuid?.() === 0;

type Step = 'open' | 'write' | 'sync' | 'close' | 'rename' | 'dir-open' | 'dir-sync' | 'dir-close' | 'mkdir';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated failure`), { code });
}

/**
 * The real file system, with every call recorded (paths relative to `root`,
 * temp names shown as `.NAME.tmp`) and, optionally, one step that fails.
 * A failing write first writes half of what it was given, as a disk that
 * fills up mid-write does.
 */
function instrumentedFs(root: string, fault?: { step: Step; code: string }): { fs: FileSystem; calls: string[] } {
  const calls: string[] = [];
  const name = (path: string): string => {
    const relative = path === root ? '.' : path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
    return relative.replace(/\.tmp-\d+-[0-9a-f]+$/, '.tmp');
  };
  const failIf = (step: Step): void => {
    if (fault?.step === step) {
      throw errno(fault.code);
    }
  };
  let wroteHalf = false;
  const wrap = (path: string, handle: FileHandleLike, isDir: boolean): FileHandleLike => ({
    async write(buffer, offset, length, position) {
      calls.push(`write ${name(path)}`);
      if (fault?.step === 'write') {
        if (!wroteHalf && length > 1) {
          wroteHalf = true;
          return handle.write(buffer, offset, Math.floor(length / 2), position);
        }
        throw errno(fault.code);
      }
      return handle.write(buffer, offset, length, position);
    },
    async sync() {
      calls.push(`sync ${name(path)}`);
      failIf(isDir ? 'dir-sync' : 'sync');
      await handle.sync();
    },
    async close() {
      calls.push(`close ${name(path)}`);
      await handle.close();
      failIf(isDir ? 'dir-close' : 'close');
    },
    stat: () => handle.stat(),
    async truncate(length) {
      calls.push(`truncate ${name(path)} ${length}`);
      await handle.truncate(length);
    },
  });
  const fs: FileSystem = {
    async open(path, flags, mode) {
      calls.push(`open ${name(path)} ${flags}${mode === undefined ? '' : ` ${mode.toString(8)}`}`);
      const isDir = flags === 'r';
      failIf(isDir ? 'dir-open' : 'open');
      return wrap(path, await nodeFileSystem.open(path, flags, mode), isDir);
    },
    async rename(from, to) {
      calls.push(`rename ${name(from)} ${name(to)}`);
      failIf('rename');
      await nodeFileSystem.rename(from, to);
    },
    async unlink(path) {
      calls.push(`unlink ${name(path)}`);
      await nodeFileSystem.unlink(path);
    },
    link: (from, to) => nodeFileSystem.link(from, to),
    async mkdir(path, options) {
      calls.push(`mkdir ${name(path)} ${options.mode.toString(8)}`);
      failIf('mkdir');
      return nodeFileSystem.mkdir(path, options);
    },
    stat: (path) => nodeFileSystem.stat(path),
    readFile: (path) => nodeFileSystem.readFile(path),
  };
  return { fs, calls };
}

async function caught(promise: Promise<unknown>): Promise<LifeboatError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    return error as LifeboatError;
  }
  throw new Error('expected the operation to fail');
}

function causeCode(error: LifeboatError): unknown {
  return (error.cause as NodeJS.ErrnoException | undefined)?.code;
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lifeboat-atomic-'));
});

afterEach(async () => {
  await chmod(dir, 0o700);
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates the file with the content, mode 0600, and leaves no temp file', async () => {
    const target = join(dir, 'header.json');
    await writeFileAtomic(target, '{"v":1}\n');
    expect(await readFile(target, 'utf8')).toBe('{"v":1}\n');
    expect(await readdir(dir)).toEqual(['header.json']);
    if (onPosix) {
      expect(await modeOf(target)).toBe(0o600);
    }
  });

  it('replaces existing content entirely, and a 0644 file becomes 0600', async () => {
    const target = join(dir, 'snapshot.lbs');
    await writeFile(target, 'old content that is longer than the new one', { mode: 0o644 });
    const bytes = Uint8Array.from([0, 1, 2, 255, 254, 10, 13]);
    await writeFileAtomic(target, bytes);
    expect(new Uint8Array(await readFile(target))).toEqual(bytes);
    expect(await readdir(dir)).toEqual(['snapshot.lbs']);
    if (onPosix) {
      expect(await modeOf(target)).toBe(0o600);
    }
  });

  it('honours an explicit mode', async () => {
    const target = join(dir, 'export.json');
    // Owner read-only: no umask takes that away, so the result is exact.
    await writeFileAtomic(target, 'x', { mode: 0o400 });
    expect(await readFile(target, 'utf8')).toBe('x');
    if (onPosix) {
      expect(await modeOf(target)).toBe(0o400);
    }
  });

  it('writes to an exclusive 0600 temp file, fsyncs it, renames it over the target, then fsyncs the folder', async () => {
    const target = join(dir, 'vault.json');
    const { fs, calls } = instrumentedFs(dir);
    await writeFileAtomic(target, 'new', { fs });
    expect(calls).toEqual([
      'open .vault.json.tmp wx 600',
      'write .vault.json.tmp',
      'sync .vault.json.tmp',
      'close .vault.json.tmp',
      'rename .vault.json.tmp vault.json',
      'open . r',
      'sync .',
      'close .',
    ]);
  });

  it('writes every byte when the file system accepts only a few at a time', async () => {
    const target = join(dir, 'big.bin');
    const base = instrumentedFs(dir).fs;
    const stingy: FileSystem = {
      ...base,
      async open(path, flags, mode) {
        const handle = await base.open(path, flags, mode);
        return { ...handle, write: (buffer, offset, length, position) => handle.write(buffer, offset, Math.min(length, 7), position) };
      },
    };
    const bytes = new Uint8Array(1000).map((_, i) => i % 251);
    await writeFileAtomic(target, bytes, { fs: stingy });
    expect(new Uint8Array(await readFile(target))).toEqual(bytes);
  });

  it('leaves the target whole under concurrent writers: one of the payloads, complete', async () => {
    const target = join(dir, 'race.bin');
    const payloads = Array.from({ length: 12 }, (_, i) => Buffer.alloc(256 * 1024, i + 1));
    await Promise.all(payloads.map((p) => writeFileAtomic(target, p)));
    const final = await readFile(target);
    expect(payloads.some((p) => p.equals(final))).toBe(true);
    expect(await readdir(dir)).toEqual(['race.bin']);
  });

  const failures: { step: Step; code: string; words: string }[] = [];
  for (const step of ['open', 'write', 'sync', 'close', 'rename'] as const) {
    failures.push({ step, code: 'ENOSPC', words: 'the disk is full' });
    failures.push({ step, code: 'EROFS', words: 'the folder is read-only or not writable' });
  }

  it.each(failures)('$code at $step: VAULT_IO naming the file, old content intact, no temp file left', async ({ step, code, words }) => {
    const target = join(dir, 'header.json');
    await writeFile(target, 'old content');
    const { fs, calls } = instrumentedFs(dir, { step, code });
    const error = await caught(writeFileAtomic(target, 'new content, quite a bit longer than the old', { fs }));
    expect(error.code).toBe('VAULT_IO');
    expect(error.message).toBe(`Could not save ${target}: ${words}.`);
    expect(causeCode(error)).toBe(code);
    expect(await readFile(target, 'utf8')).toBe('old content');
    expect(await readdir(dir)).toEqual(['header.json']);
    // The step really was reached (the fault was not bypassed).
    expect(calls.some((c) => c.startsWith(step === 'open' ? 'open .header.json.tmp' : step))).toBe(true);
  });

  it('names other causes by their code', async () => {
    const target = join(dir, 'header.json');
    const { fs } = instrumentedFs(dir, { step: 'sync', code: 'EIO' });
    const error = await caught(writeFileAtomic(target, 'x', { fs }));
    expect(error.message).toBe(`Could not save ${target}: the file system reported EIO.`);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each(['EISDIR', 'EPERM', 'EINVAL'])('ignores %s from the folder fsync (platforms that refuse it)', async (code) => {
    const target = join(dir, 'header.json');
    const { fs, calls } = instrumentedFs(dir, { step: 'dir-sync', code });
    await writeFileAtomic(target, 'new', { fs });
    expect(calls).toContain('sync .');
    expect(await readFile(target, 'utf8')).toBe('new');
  });

  it.each(['EISDIR', 'EPERM'])('ignores %s from opening the folder for fsync', async (code) => {
    const target = join(dir, 'header.json');
    const { fs } = instrumentedFs(dir, { step: 'dir-open', code });
    await writeFileAtomic(target, 'new', { fs });
    expect(await readFile(target, 'utf8')).toBe('new');
  });

  it('reports any other folder fsync failure (the rename has happened: the new content is in place)', async () => {
    const target = join(dir, 'header.json');
    await writeFile(target, 'old');
    const { fs } = instrumentedFs(dir, { step: 'dir-sync', code: 'EIO' });
    const error = await caught(writeFileAtomic(target, 'new', { fs }));
    expect(error.code).toBe('VAULT_IO');
    expect(error.message).toBe(`Could not save ${target}: the file system reported EIO.`);
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['header.json']);
  });

  it('does not replace anything when the temp name is taken (exclusive create)', async () => {
    const target = join(dir, 'header.json');
    await writeFile(target, 'old');
    const base = instrumentedFs(dir).fs;
    const taken: FileSystem = { ...base, open: () => Promise.reject(errno('EEXIST')) };
    const error = await caught(writeFileAtomic(target, 'new', { fs: taken }));
    expect(error.message).toBe(`Could not save ${target}: the file system reported EEXIST.`);
    expect(await readFile(target, 'utf8')).toBe('old');
  });

  it.skipIf(!onPosix || isRoot)('fails with VAULT_IO on a really read-only folder, old content intact', async () => {
    const target = join(dir, 'header.json');
    await writeFile(target, 'old');
    await chmod(dir, 0o500);
    const error = await caught(writeFileAtomic(target, 'new'));
    expect(error.code).toBe('VAULT_IO');
    expect(error.message).toBe(`Could not save ${target}: the folder is read-only or not writable.`);
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['header.json']);
  });
});

describe('appendDurable', () => {
  it('appends lines in order to a 0600 file', async () => {
    const log = join(dir, 'audit.log');
    await appendDurable(log, 'one\n');
    await appendDurable(log, Buffer.from('two\n'));
    await appendDurable(log, 'three\n');
    expect(await readFile(log, 'utf8')).toBe('one\ntwo\nthree\n');
    if (onPosix) {
      expect(await modeOf(log)).toBe(0o600);
    }
  });

  it('fsyncs the file before returning, and the folder when it created the file', async () => {
    const log = join(dir, 'audit.log');
    const { fs, calls } = instrumentedFs(dir);
    await appendDurable(log, 'one\n', { fs });
    expect(calls).toEqual([
      `open audit.log ${APPEND_CREATE_FLAGS} 600`,
      'write audit.log',
      'sync audit.log',
      'close audit.log',
      'open . r',
      'sync .',
      'close .',
    ]);

    calls.length = 0;
    await appendDurable(log, 'two\n', { fs });
    expect(calls).toEqual([
      `open audit.log ${APPEND_CREATE_FLAGS} 600`,
      `open audit.log ${APPEND_FLAGS} 600`,
      'write audit.log',
      'sync audit.log',
      'close audit.log',
    ]);
    expect(await readFile(log, 'utf8')).toBe('one\ntwo\n');
  });

  it.each([
    { step: 'write' as const, code: 'ENOSPC', words: 'the disk is full' },
    { step: 'sync' as const, code: 'ENOSPC', words: 'the disk is full' },
    { step: 'sync' as const, code: 'EIO', words: 'the file system reported EIO' },
  ])('$code at $step: VAULT_IO, and no partial line is left behind', async ({ step, code, words }) => {
    const log = join(dir, 'audit.log');
    await writeFile(log, 'one\n');
    const { fs, calls } = instrumentedFs(dir, { step, code });
    const error = await caught(appendDurable(log, 'a second line that will not fit\n', { fs }));
    expect(error.code).toBe('VAULT_IO');
    expect(error.message).toBe(`Could not append to ${log}: ${words}.`);
    expect(causeCode(error)).toBe(code);
    expect(calls).toContain('truncate audit.log 4');
    expect(await readFile(log, 'utf8')).toBe('one\n');
  });

  it.each(['EROFS', 'EACCES'])('%s at open: VAULT_IO saying the folder is not writable', async (code) => {
    const log = join(dir, 'audit.log');
    const { fs } = instrumentedFs(dir, { step: 'open', code });
    const error = await caught(appendDurable(log, 'x\n', { fs }));
    expect(error.message).toBe(`Could not append to ${log}: the folder is read-only or not writable.`);
  });

  it.runIf(onPosix)('attack: audit.log linked to a file outside the vault is refused, that file untouched', async () => {
    const outside = join(dir, 'outside.txt');
    await writeFile(outside, 'not the vault');
    const log = join(dir, 'audit.log');
    await symlink(outside, log);
    const error = await caught(appendDurable(log, 'x\n'));
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain('audit.log in the vault folder is a symbolic link');
    expect(await readFile(outside, 'utf8')).toBe('not the vault');
  });

  it.runIf(onPosix)('attack: audit.log replaced by a FIFO is refused at once, not waited on', async () => {
    const log = join(dir, 'audit.log');
    execFileSync('mkfifo', [log]);
    const error = await caught(appendDurable(log, 'x\n'));
    // With no reader, a non-blocking open of a FIFO for writing fails (ENXIO): nothing waits.
    expect(error.code).toBe('VAULT_TAMPERED');
    expect(error.message).toContain('audit.log in the vault folder is not a regular file');
  });
});

describe('ensureVaultDir', () => {
  it('creates the folder with mode 0700 and fsyncs its parent', async () => {
    const vault = join(dir, 'My Vault');
    const { fs, calls } = instrumentedFs(dir);
    await ensureVaultDir(vault, { fs });
    expect((await stat(vault)).isDirectory()).toBe(true);
    if (onPosix) {
      expect(await modeOf(vault)).toBe(0o700);
    }
    expect(calls).toEqual(['mkdir My Vault 700', 'open . r', 'sync .', 'close .']);
  });

  it('accepts a folder that already exists', async () => {
    const vault = join(dir, 'vault');
    await mkdir(vault);
    await ensureVaultDir(vault);
    expect((await stat(vault)).isDirectory()).toBe(true);
  });

  it('refuses a file in the way', async () => {
    const vault = join(dir, 'vault');
    await writeFile(vault, 'not a folder');
    const error = await caught(ensureVaultDir(vault));
    expect(error.code).toBe('VAULT_IO');
    expect(error.message).toBe(`Could not create the folder ${vault}: something that is not a folder already has that name.`);
  });

  it('does not create missing parents', async () => {
    const vault = join(dir, 'missing', 'vault');
    const error = await caught(ensureVaultDir(vault));
    expect(error.message).toBe(`Could not create the folder ${vault}: a folder in its path does not exist.`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('maps a read-only parent to VAULT_IO', async () => {
    const vault = join(dir, 'vault');
    const { fs } = instrumentedFs(dir, { step: 'mkdir', code: 'EROFS' });
    const error = await caught(ensureVaultDir(vault, { fs }));
    expect(error.message).toBe(`Could not create the folder ${vault}: the folder is read-only or not writable.`);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('describeIoFailure', () => {
  it('puts the common causes in plain words', () => {
    expect(describeIoFailure(errno('ENOSPC'))).toBe('the disk is full');
    expect(describeIoFailure(errno('EPERM'))).toBe('the folder is read-only or not writable');
    expect(describeIoFailure(errno('EMFILE'))).toBe('the file system reported EMFILE');
    expect(describeIoFailure(new Error('no code'))).toBe('an unexpected error occurred');
  });
});
