import { describe, expect, it } from 'vitest';
import { EngineStatusSchema } from '../../shared/contract.js';
import type { SelfTestStep } from '../vault/self-test.js';
import { runCli } from './run-cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const failingSteps = (): SelfTestStep[] => [{ id: 'sqlite', label: 'Database', run: () => Promise.reject(new Error('no FTS4')) }];

describe('lifeboat CLI', () => {
  it('prints the version', async () => {
    const c = capture();
    expect(await runCli(['--version'], c.io, { version: '9.8.7' })).toBe(0);
    expect(c.out.join('')).toBe('lifeboat 9.8.7\n');
  });

  it('status --json prints a status document that matches the IPC contract', async () => {
    const c = capture();
    expect(await runCli(['status', '--json'], c.io, { version: '1' })).toBe(0);
    const status = EngineStatusSchema.parse(JSON.parse(c.out.join('')));
    expect(status.ready).toBe(true);
    expect(c.err).toEqual([]);
  });

  it('status exits 1 and names the failed check when the engine is not ready', async () => {
    const c = capture();
    expect(await runCli(['status'], c.io, { version: '1', selfTestSteps: failingSteps })).toBe(1);
    expect(c.out.join('')).toContain('FAIL  Database: Failed: no FTS4.');
    expect(c.out.join('')).toContain('Engine NOT ready');
  });

  it('refuses an unknown command with exit 2 and a pointer to help', async () => {
    const c = capture();
    expect(await runCli(['opne'], c.io, { version: '1' })).toBe(2);
    expect(c.err.join('')).toContain('Unknown command "opne"');
    expect(c.err.join('')).toContain('lifeboat help');
  });

  it('reports a bad option as a typed usage error, as JSON when asked', async () => {
    const c = capture();
    expect(await runCli(['status', '--jsn', '--json'], c.io, { version: '1' })).toBe(2);
    expect(JSON.parse(c.out.join(''))).toMatchObject({ ok: false, error: { code: 'CLI_USAGE' } });
  });

  it('prints help with no command', async () => {
    const c = capture();
    expect(await runCli([], c.io, { version: '1' })).toBe(0);
    expect(c.out.join('')).toContain('Usage: lifeboat');
  });
});
