/**
 * The file name a save dialog suggests, by what is saved and in which format
 * (issue 22: the extension follows the format chosen, so a CEF copy is not
 * offered as ".json"). Main's dialog (desktop shell) and the browser host's
 * path field read it from here; the names end in an extension the write
 * channel accepts for that format. Zod-free: the renderer uses it too.
 */
import { AUDIT_EXPORT_FORMATS, type AuditExportFormat } from './audit-export-formats.js';

/** The save dialogs that have a format to follow. */
export const SAVE_SUBJECTS = ['audit-export', 'evidence-report', 'access-report'] as const;
export type SaveSubject = (typeof SAVE_SUBJECTS)[number];

/** Every format a save dialog can be asked to suggest a name for. */
export const SAVE_FORMATS = ['lifeboat', 'jsonl', 'ocsf', 'cef', 'pdf', 'markdown', 'json'] as const;
export type SaveFormat = (typeof SAVE_FORMATS)[number];

/** What a save dialog is asked to name. */
export interface SaveSuggestion {
  subject: SaveSubject;
  format: SaveFormat;
}

const REPORT_EXTENSION = { pdf: '.pdf', markdown: '.md', json: '.json' } as const;

/** The extension a file of `format` gets: OCSF is JSON Lines too, named apart. */
export function extensionFor(format: SaveFormat): string {
  if (format === 'ocsf') {
    return '.ocsf.jsonl';
  }
  if (format === 'pdf' || format === 'markdown' || format === 'json') {
    return REPORT_EXTENSION[format];
  }
  return AUDIT_EXPORT_FORMATS[format satisfies AuditExportFormat].extensions[0];
}

const BASE: Readonly<Record<SaveSubject, string>> = {
  'audit-export': 'lifeboat-audit-export',
  'evidence-report': 'lifeboat-evidence-report',
  'access-report': 'lifeboat-access-report',
};

/** "lifeboat-audit-export.cef", "lifeboat-access-report.md"… */
export function suggestedFileName(subject: SaveSubject, format: SaveFormat): string {
  return `${BASE[subject]}${extensionFor(format)}`;
}

const KNOWN_EXTENSION = /\.(ocsf\.jsonl|jsonl|ndjson|json|cef|log|txt|pdf|md|markdown)$/i;

/**
 * A typed path moved to another format: its extension, when it is one of a
 * format's, becomes `format`'s; any other path is left as typed.
 */
export function withFormatExtension(typed: string, format: SaveFormat): string {
  return KNOWN_EXTENSION.test(typed) ? typed.replace(KNOWN_EXTENSION, extensionFor(format)) : typed;
}
