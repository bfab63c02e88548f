/**
 * What main's save dialogs say and suggest, as a pure function (tested
 * without Electron, like window-policy.ts). The suggested file name follows
 * the format the member chose (shared/save-names.ts, issue 22); without one,
 * each purpose has its usual name. Null: the purpose opens a file or folder.
 */
import type { PickPurpose } from '../../shared/destinations.js';
import { suggestedFileName, type SaveSubject, type SaveSuggestion } from '../../shared/save-names.js';

export interface SaveDialogOptions {
  title: string;
  defaultPath: string;
}

const DEFAULTS = {
  export: { title: 'Export the audit log', defaultPath: 'lifeboat-audit-export.json' },
  report: { title: 'Save the evidence report', defaultPath: 'lifeboat-evidence-report.pdf' },
  kit: { title: 'Save the emergency kit', defaultPath: 'lifeboat-emergency-kit.pdf' },
  binder: { title: 'Save the binder', defaultPath: 'lifeboat-binder.pdf' },
} as const satisfies Partial<Record<PickPurpose, SaveDialogOptions>>;

const TITLES: Readonly<Record<SaveSubject, string>> = {
  'audit-export': 'Export the audit log',
  'evidence-report': 'Save the evidence report',
  'access-report': 'Save the emergency-access report',
};

/** Which subjects each save purpose may be asked to name: a window cannot make the kit's dialog offer "x.cef". */
const SUBJECTS: Partial<Record<PickPurpose, readonly SaveSubject[]>> = {
  export: ['audit-export'],
  report: ['evidence-report', 'access-report'],
};

export function saveDialogOptions(purpose: PickPurpose, suggest?: SaveSuggestion): SaveDialogOptions | null {
  if (purpose !== 'export' && purpose !== 'report' && purpose !== 'kit' && purpose !== 'binder') {
    return null;
  }
  if (suggest && SUBJECTS[purpose]?.includes(suggest.subject)) {
    return { title: TITLES[suggest.subject], defaultPath: suggestedFileName(suggest.subject, suggest.format) };
  }
  return DEFAULTS[purpose];
}
