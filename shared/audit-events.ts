/**
 * Every kind of audit event, declared once with how the window's timeline
 * says it ("alice <label>"). The engine refuses to log a type not listed
 * here, and the audit screen reads its labels from here, so a new event
 * cannot reach the log without words for the people who read it.
 */
export const AUDIT_EVENT_LABELS = {
  'vault.created': 'created the vault',
  'vault.unlocked': 'unlocked',
  'vault.locked': 'locked',
  'record.opened': 'opened',
  'secret.revealed': 'revealed a secret',
  'secret.copied': 'copied a secret',
  'record.created': 'created',
  'record.edited': 'edited',
  'record.deleted': 'deleted',
  'member.added': 'added a member',
  'member.removed': 'removed a member',
  'member.passphrase-changed': 'changed a passphrase',
  'vault.format-upgraded': 'upgraded the vault to format 2 (a vault identity key)',
  'member.slot-upgraded': 'moved their key slot to format 2',
  'vault.rekey-started': 'began a rekey',
  'vault.rekeyed': 'rekeyed the vault',
  'catalog.synced': 'synced a catalog',
  'catalog.publisher-trusted': 'trusted a publisher',
  'audit.exported': 'exported the audit log',
  'doctor.restored': 'restored a snapshot',
  'vault.settings-changed': 'changed settings',
  'vault.auto-locked': 'was locked for idling',
  'vault.lock-broken': "broke a stale lock (another computer's)",
  'call-list.opened': 'opened the call list',
  'catalog.sync-failed': 'saw a catalog sync fail (nothing applied)',
  'session.started': 'started a recovery session',
  'session.step': 'ticked a step',
  'session.check': 'recorded a validation check',
  'session.journal': 'added to the session journal',
  'session.override': 'counted a service useful without waiting for its dependencies',
  'session.ended': 'ended a recovery session',
  'session.report-exported': 'exported an evidence report',
  'secret.rotated': 'marked a secret rotated',
  'secret.confirmation-failed': 'was refused a second-person confirmation',
  'recovery.shares-created': 'created recovery shares',
  'recovery.shares-revoked': 'revoked the recovery shares',
  'recovery.drill': 'ran a recovery drill (nothing opened)',
  'kit.exported': 'exported the emergency kit',
  'recovery.sheets-written': 'wrote recovery sheets',
  'catalog.publisher-repinned': 're-pinned a catalog to another publisher',
  'records.searched': 'searched (shown text of the records listed)',
  'code.generated': 'generated a one-time code',
  'secret.disabled-confirmed': 'confirmed an emergency account disabled again',
  'vault.rollback-accepted': 'accepted older vault files than this laptop had seen (a restored backup)',
  'audit.access-report': 'built the emergency-access report',
  'binder.printed': 'printed a binder (the records listed)',
  'binder.previewed': 'previewed a binder (the records listed)',
  'binder.verified': 'checked a printed binder page',
  'oncall.opened': 'looked up who is on call',
} as const satisfies Record<string, string>;

export type AuditEventType = keyof typeof AUDIT_EVENT_LABELS;

/** In the order they were introduced (the engine's refusal message lists them so). */
export const AUDIT_EVENT_TYPES = Object.keys(AUDIT_EVENT_LABELS) as AuditEventType[];
