/**
 * The formats an audit export can be written in, declared once for the CLI
 * (`audit export --format`), the IPC contract and the audit screen's picker.
 * "lifeboat" is the signed export, the evidence of record; the others are
 * copies for a SIEM, each line matchable back to it (docs/audit-formats.md).
 * A file chosen in the window must end in one of the format's extensions.
 */
export const AUDIT_EXPORT_FORMATS = {
  lifeboat: { label: 'Lifeboat signed export (evidence of record)', extensions: ['.json'] },
  jsonl: { label: 'JSON Lines (Splunk, Elastic, any SIEM)', extensions: ['.jsonl', '.ndjson', '.json'] },
  ocsf: { label: 'OCSF 1.1.0 (Security Lake, Sentinel)', extensions: ['.jsonl', '.ndjson', '.json'] },
  cef: { label: 'CEF (ArcSight, older SIEMs)', extensions: ['.cef', '.log', '.txt'] },
} as const satisfies Record<string, { label: string; extensions: readonly string[] }>;

export type AuditExportFormat = keyof typeof AUDIT_EXPORT_FORMATS;
export const AUDIT_EXPORT_FORMAT_NAMES = Object.keys(AUDIT_EXPORT_FORMATS) as [AuditExportFormat, ...AuditExportFormat[]];
