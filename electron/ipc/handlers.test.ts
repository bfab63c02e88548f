import { describe, expect, it } from 'vitest';
import { AppInfoSchema, EngineStatusSchema, contract } from '../../shared/contract.js';
import type { ProgressEvent } from '../../shared/progress.js';
import { createHandlers, SELF_TEST_TASK_ID } from './handlers.js';

const facts = { host: 'browser', version: '1.2.3', packaged: false, platform: 'linux' } as const;

describe('IPC handlers', () => {
  it('app:info reports the host it runs in, valid against the contract', async () => {
    const handlers = createHandlers({ facts });
    const info = await handlers['app:info']({}, { progress: () => undefined });
    expect(AppInfoSchema.parse(info)).toEqual({ name: 'Lifeboat', ...facts });
  });

  it('engine:status streams progress for its task until finished', async () => {
    const events: ProgressEvent[] = [];
    const handlers = createHandlers({
      facts,
      selfTestSteps: () => [{ id: 'one', label: 'One', run: () => Promise.resolve('ok') }],
    });
    const status = await handlers['engine:status']({}, { progress: (e) => events.push(e) });
    expect(EngineStatusSchema.parse(status).ready).toBe(true);
    expect(events.every((e) => e.taskId === SELF_TEST_TASK_ID)).toBe(true);
    expect(events.map((e) => [e.done, e.total, e.finished])).toEqual([
      [0, 1, false],
      [1, 1, true],
    ]);
  });
});

describe('native dialogs', () => {
  it('say plainly when the host has none, and return the picked path when it has', async () => {
    const without = createHandlers({ facts });
    await expect(without['dialog:pick']({ purpose: 'catalog' }, { progress: () => undefined })).rejects.toMatchObject({ code: 'HOST_NO_DIALOG' });
    const picked: string[] = [];
    const withDialogs = createHandlers({
      facts,
      pickPath: (purpose) => {
        picked.push(purpose);
        return Promise.resolve(purpose === 'export' ? null : '/media/usb/ops.lbcat');
      },
    });
    // A file Lifeboat only reads: its path, no token (nothing is written there).
    expect(await withDialogs['dialog:pick']({ purpose: 'catalog' }, { progress: () => undefined })).toEqual({ path: '/media/usb/ops.lbcat', token: null });
    expect(await withDialogs['dialog:pick']({ purpose: 'export' }, { progress: () => undefined })).toEqual({ path: null, token: null });
    expect(picked).toEqual(['catalog', 'export']);
  });

  it('hand main the format a save dialog is for, and the contract refuses a subject or format it does not name', async () => {
    const asked: unknown[] = [];
    const withDialogs = createHandlers({
      facts,
      pickPath: (purpose, suggest) => {
        asked.push({ purpose, suggest });
        return Promise.resolve(null);
      },
    });
    await withDialogs['dialog:pick']({ purpose: 'export', suggest: { subject: 'audit-export', format: 'cef' } }, { progress: () => undefined });
    expect(asked).toEqual([{ purpose: 'export', suggest: { subject: 'audit-export', format: 'cef' } }]);
    const request = contract['dialog:pick'].request;
    expect(request.safeParse({ purpose: 'export', suggest: { subject: 'audit-export', format: 'cef' } }).success).toBe(true);
    // The window names a format, never a file name or a path.
    expect(request.safeParse({ purpose: 'export', suggest: { subject: 'audit-export', format: 'cef', name: '/home/me/.bashrc' } }).success).toBe(false);
    expect(request.safeParse({ purpose: 'export', suggest: { subject: 'audit-export', format: 'sh' } }).success).toBe(false);
  });
});
