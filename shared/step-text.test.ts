import { describe, expect, it } from 'vitest';
import { stepParts, stepSpans } from './step-text.js';

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

describe('stepSpans', () => {
  it('reads code spans back as code, the rest as text', () => {
    expect(stepSpans('Run `kubectl get pods` then `exit`')).toEqual([
      { text: 'Run ', code: false },
      { text: 'kubectl get pods', code: true },
      { text: ' then ', code: false },
      { text: 'exit', code: true },
    ]);
    expect(stepSpans('Count the ``a`b`` marks')).toEqual([
      { text: 'Count the ', code: false },
      { text: 'a`b', code: true },
      { text: ' marks', code: false },
    ]);
    expect(stepSpans('`` `x` ``')).toEqual([{ text: '`x`', code: true }]);
  });

  it('keeps a backtick with no partner as text', () => {
    expect(stepSpans('Type ``` to open a fence')).toEqual([{ text: 'Type ``` to open a fence', code: false }]);
    expect(stepSpans("it's a ` tick")).toEqual([{ text: "it's a ` tick", code: false }]);
    expect(stepSpans('')).toEqual([]);
  });
});
