/**
 * The editor's list fields (issue 17: a step keeps its command): a catalog
 * step carries its code fenced on lines of its own, and editing the record
 * must give the same steps back, not one step per line of code.
 */
import { describe, expect, it } from 'vitest';
import { stepParts } from '../../shared/step-text';
import { formFields, initialValues, listItems, toData } from './record-form';

describe('list fields in the editor', () => {
  it('gives back a catalog step with its fenced command unchanged after an edit round trip', () => {
    const steps = ['Check chrony is running.', 'Start it:\n```shell\nsystemctl start chronyd\n  # then wait\n```', 'Check the offset.'];
    const fields = formFields('runbook', { owner: true });
    const values = initialValues(fields, { data: { steps } });
    expect(toData(fields, values, true)['steps']).toEqual(steps);
    expect(stepParts(listItems(values['steps'] ?? '')[1] ?? '')).toEqual({
      text: 'Start it:',
      code: [{ lang: 'shell', code: 'systemctl start chronyd\n  # then wait' }],
    });
  });

  it('keeps one item per line otherwise, trimmed, blank lines dropped, Windows line ends read', () => {
    expect(listItems('  first \r\n\r\nsecond\n')).toEqual(['first', 'second']);
  });

  it('keeps a fence opened by the first line, a longer closing fence, and ~~~ fences', () => {
    expect(listItems('```\nls\n````\nnext')).toEqual(['```\nls\n````', 'next']);
    expect(listItems('Run:\n~~~\necho ```\n~~~\nDone.')).toEqual(['Run:\n~~~\necho ```\n~~~', 'Done.']);
  });

  it('keeps the lines after an unclosed fence in its item, as Markdown reads them', () => {
    expect(listItems('a\n```\nb\nc')).toEqual(['a\n```\nb\nc']);
  });
});
