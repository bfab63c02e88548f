import { describe, expect, it } from 'vitest';
import { stepParts } from './step-text.js';

describe('stepParts', () => {
  it('splits a catalog step into its text and its fenced code blocks', () => {
    expect(stepParts('If the service is not running, start it:\n```shell\nsudo gitlab-ctl start gitaly\n```')).toEqual({
      text: 'If the service is not running, start it:',
      code: [{ lang: 'shell', code: 'sudo gitlab-ctl start gitaly' }],
    });
    expect(stepParts('Two:\n```\na\n```\n````\nb ``` c\n````').code).toEqual([
      { lang: '', code: 'a' },
      { lang: '', code: 'b ``` c' },
    ]);
  });

  it('leaves a typed step (and one mentioning ``` inline) as text', () => {
    expect(stepParts('Restart the app')).toEqual({ text: 'Restart the app', code: [] });
    expect(stepParts('Type ``` to open a fence')).toEqual({ text: 'Type ``` to open a fence', code: [] });
  });
});
