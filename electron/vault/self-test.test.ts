import { describe, expect, it } from 'vitest';
import { EngineStatusSchema } from '../../shared/contract.js';
import { runSelfTest, selfTestSteps, type SelfTestStep } from './self-test.js';

describe('engine self-test', () => {
  it('passes every real check on this machine and reports what it checked', async () => {
    const status = await runSelfTest(selfTestSteps(), () => undefined);
    expect(EngineStatusSchema.parse(status)).toEqual(status);
    expect(status.components.map((c) => c.id)).toEqual(['argon2id', 'aead', 'signatures', 'sqlite']);
    expect(status.components.filter((c) => !c.ok)).toEqual([]);
    expect(status.ready).toBe(true);
    expect(status.components.find((c) => c.id === 'sqlite')?.detail).toMatch(/FTS4/);
  });

  it('records a failing step with its reason and still runs the others', async () => {
    const ran: string[] = [];
    const steps: SelfTestStep[] = [
      {
        id: 'a',
        label: 'A',
        run: () => {
          ran.push('a');
          return Promise.reject(new Error('wasm did not load'));
        },
      },
      {
        id: 'b',
        label: 'B',
        run: () => {
          ran.push('b');
          return Promise.resolve('fine');
        },
      },
    ];
    const status = await runSelfTest(steps, () => undefined);
    expect(ran).toEqual(['a', 'b']);
    expect(status.ready).toBe(false);
    expect(status.components[0]).toMatchObject({ ok: false, detail: 'Failed: wasm did not load.' });
    expect(status.components[1]).toMatchObject({ ok: true, detail: 'fine' });
  });

  it('reports progress before each step and once at the end', async () => {
    const seen: [number, number, string][] = [];
    const steps: SelfTestStep[] = ['x', 'y'].map((id) => ({ id, label: id.toUpperCase(), run: () => Promise.resolve('ok') }));
    await runSelfTest(steps, (done, total, label) => seen.push([done, total, label]));
    expect(seen).toEqual([
      [0, 2, 'X'],
      [1, 2, 'Y'],
      [2, 2, 'Done'],
    ]);
  });
});
