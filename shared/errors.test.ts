import { describe, expect, it } from 'vitest';
import { ERROR_CODES, LifeboatError, exitCodeFor, isErrorCode, toErrorShape, unknownChannelError } from './errors.js';

describe('error shapes', () => {
  it('keeps the code and sentence of a LifeboatError', () => {
    expect(toErrorShape(new LifeboatError('ENGINE_UNAVAILABLE', 'The database failed its check.'))).toEqual({
      code: 'ENGINE_UNAVAILABLE',
      message: 'The database failed its check.',
    });
  });

  it('never passes on the text or stack of an unexpected error', () => {
    const shape = toErrorShape(new Error('ENOENT: /home/ic/secret-path/vault.db'));
    expect(shape.code).toBe('INTERNAL');
    expect(shape.message).not.toContain('secret-path');
    expect(JSON.stringify(shape)).not.toContain('at ');
  });

  it('treats thrown non-errors as internal too', () => {
    expect(toErrorShape('boom').code).toBe('INTERNAL');
    expect(toErrorShape(undefined).code).toBe('INTERNAL');
  });

  it('maps every code to a non-zero exit code, usage errors to 2', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      expect(isErrorCode(code)).toBe(true);
      expect(exitCodeFor(code as keyof typeof ERROR_CODES)).toBeGreaterThan(0);
    }
    expect(exitCodeFor('CLI_USAGE')).toBe(2);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('truncates an absurd channel name in the refusal', () => {
    const shape = unknownChannelError('x'.repeat(10_000));
    expect(shape.code).toBe('IPC_UNKNOWN_CHANNEL');
    expect(shape.message.length).toBeLessThan(120);
  });
});
