/**
 * The desktop shell's save dialog offers a file name whose extension follows
 * the format chosen (issue 22: it said ".json" for every audit format), and
 * every name it offers is one the write channel accepts for that format.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_EXPORT_FORMATS } from '../../shared/audit-export-formats.js';
import { SAVE_FORMATS, withFormatExtension } from '../../shared/save-names.js';
import { ACCESS_REPORT_EXTENSIONS } from '../operations/access-report.js';
import { REPORT_EXTENSIONS } from '../operations/reports.js';
import { saveDialogOptions } from './save-dialogs.js';

describe('saveDialogOptions', () => {
  it('suggests each audit export format with its own extension', () => {
    const names = Object.fromEntries(
      (['lifeboat', 'jsonl', 'ocsf', 'cef'] as const).map((format) => [format, saveDialogOptions('export', { subject: 'audit-export', format })?.defaultPath]),
    );
    expect(names).toEqual({
      lifeboat: 'lifeboat-audit-export.json',
      jsonl: 'lifeboat-audit-export.jsonl',
      ocsf: 'lifeboat-audit-export.ocsf.jsonl',
      cef: 'lifeboat-audit-export.cef',
    });
    for (const [format, name] of Object.entries(names)) {
      const accepted = AUDIT_EXPORT_FORMATS[format as keyof typeof AUDIT_EXPORT_FORMATS].extensions;
      expect(accepted.some((ext) => name?.endsWith(ext))).toBe(true);
    }
  });

  it('suggests the access report and the evidence report as .pdf, .md or .json, each accepted by its channel', () => {
    for (const format of ['pdf', 'markdown', 'json'] as const) {
      const access = saveDialogOptions('report', { subject: 'access-report', format });
      const evidence = saveDialogOptions('report', { subject: 'evidence-report', format });
      expect(access?.title).toBe('Save the emergency-access report');
      expect(ACCESS_REPORT_EXTENSIONS[format].some((ext) => access?.defaultPath.endsWith(ext))).toBe(true);
      expect(REPORT_EXTENSIONS[format].some((ext) => evidence?.defaultPath.endsWith(ext))).toBe(true);
    }
    expect(saveDialogOptions('report', { subject: 'access-report', format: 'markdown' })?.defaultPath).toBe('lifeboat-access-report.md');
  });

  it('keeps each purpose its usual name without a suggestion, ignores one for another purpose, and has none for open dialogs', () => {
    expect(saveDialogOptions('export')?.defaultPath).toBe('lifeboat-audit-export.json');
    expect(saveDialogOptions('kit', { subject: 'audit-export', format: 'cef' })?.defaultPath).toBe('lifeboat-emergency-kit.pdf');
    expect(saveDialogOptions('export', { subject: 'access-report', format: 'pdf' })?.defaultPath).toBe('lifeboat-audit-export.json');
    expect(saveDialogOptions('open-vault')).toBeNull();
    expect(saveDialogOptions('catalog')).toBeNull();
  });
});

describe('withFormatExtension (the browser host’s typed path)', () => {
  it('moves a typed name to the new format, and leaves any other path as typed', () => {
    expect(withFormatExtension('/media/usb/audit.json', 'cef')).toBe('/media/usb/audit.cef');
    expect(withFormatExtension('/media/usb/audit.cef', 'ocsf')).toBe('/media/usb/audit.ocsf.jsonl');
    expect(withFormatExtension('/media/usb/audit.ocsf.jsonl', 'jsonl')).toBe('/media/usb/audit.jsonl');
    expect(withFormatExtension('/media/usb/access.pdf', 'markdown')).toBe('/media/usb/access.md');
    expect(withFormatExtension('/media/usb/notes', 'pdf')).toBe('/media/usb/notes');
    expect(withFormatExtension('', 'pdf')).toBe('');
    for (const format of SAVE_FORMATS) {
      expect(withFormatExtension(withFormatExtension('/x/a.json', format), 'json')).toBe('/x/a.json');
    }
  });
});
