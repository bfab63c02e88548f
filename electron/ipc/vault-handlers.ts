/**
 * The vault channels: each parses nothing (the router validated the
 * request), calls one operation with the open session, and returns what the
 * contract names. One vault is open at a time per app (VaultService).
 */
import { auditEntries, currentCheckpoint, verifyAuditOnThreads } from '../operations/audit.js';
import { exportAuditAs } from '../operations/audit-formats.js';
import { AUDIT_EXPORT_FORMATS } from '../../shared/audit-export-formats.js';
import { catalogStatus, syncFromWindow, trustPublisherForCatalog, trustPublisherKey, windowSyncReport } from '../operations/catalog.js';
import {
  callList,
  createRecord,
  deleteRecord,
  editRecord,
  listRecords,
  openRecord,
  recordHistory,
  revealCredential,
  revealField,
  revisionChanges,
  searchRecords,
  settleSearch,
} from '../operations/records.js';
import { copyPlainText, copySecretField } from '../operations/clipboard-copy.js';
import {
  addMember,
  changePassphrase,
  createVault,
  doctorWithKeys,
  membersPreview,
  openDemoVault,
  openVault,
  removeMember,
  setAutoLockMinutes,
  setOnCallWarningDays,
  setReviewDays,
} from '../operations/vault-access.js';
import { chosenDestination, type DestinationTokens } from '../operations/destination-tokens.js';
import { rememberedVault, rememberOpened } from '../operations/remembered-vault.js';
import type { VaultService } from '../operations/vault-service.js';
import type { Handlers } from './router.js';

type VaultChannels =
  | 'vault:create'
  | 'vault:unlock'
  | 'vault:lock'
  | 'vault:members-preview'
  | 'vault:doctor'
  | 'clipboard:copy-text'
  | 'clipboard:status'
  | 'vault:demo'
  | 'vault:status'
  | 'vault:activity'
  | 'app:remembered'
  | 'records:list'
  | 'records:open'
  | 'records:create'
  | 'records:edit'
  | 'records:delete'
  | 'records:history'
  | 'records:revision-changes'
  | 'secret:reveal'
  | 'secret:copy'
  | 'secret:reveal-credential'
  | 'members:list'
  | 'members:add'
  | 'members:remove'
  | 'members:passwd'
  | 'audit:list'
  | 'audit:verify'
  | 'audit:checkpoint'
  | 'audit:export'
  | 'settings:set-auto-lock'
  | 'settings:set-review-days'
  | 'settings:set-oncall-warning-days'
  | 'records:search'
  | 'records:search-settled'
  | 'catalog:sync'
  | 'catalog:status'
  | 'contacts:call-list'
  | 'catalog:trust';

const ok = { ok: true } as const;

/** Wraps each handler so it runs as one exclusive engine operation. */
export function oneAtATime<K extends keyof Handlers>(service: VaultService, handlers: Pick<Handlers, K>): Pick<Handlers, K> {
  const wrapped: Partial<Record<K, unknown>> = {};
  for (const key of Object.keys(handlers) as K[]) {
    const handler = handlers[key] as (request: unknown, context: unknown) => unknown;
    wrapped[key] = (request: unknown, context: unknown) => service.exclusive(() => handler(request, context));
  }
  return wrapped as Pick<Handlers, K>;
}

/** `tokens`: the host's dialog choices (writes go only there), or null for typed paths (see destination-tokens.ts). */
export function createVaultHandlers(service: VaultService, tokens: DestinationTokens | null = null): Pick<Handlers, VaultChannels> {
  return oneAtATime(service, {
    'vault:create': async ({ to, owner, passphrase, name }) => {
      const dir = await chosenDestination(tokens, to, 'new-vault', { vaultDir: service.openFolder });
      const info = await service.replace(await createVault(dir, { owner, passphrase, stateDir: service.stateDir, ...(name ? { name } : {}) }), dir);
      await rememberOpened(service.stateDir, dir, info.member);
      return info;
    },
    'vault:unlock': async ({ dir, member, passphrase }) => {
      const info = await service.replace(await openVault(dir, { member, passphrase, stateDir: service.stateDir }), dir);
      await rememberOpened(service.stateDir, dir, info.member);
      return info;
    },
    'app:remembered': () => rememberedVault(service.stateDir),
    'vault:demo': async () => service.replace(await openDemoVault(service.demoDir, { stateDir: service.stateDir }), service.demoDir),
    'vault:members-preview': ({ dir }) => membersPreview(dir),
    'vault:doctor': async ({ dir, member, passphrase, restore }) => {
      const report = await doctorWithKeys(dir, { member, passphrase, stateDir: service.stateDir, ...(restore === undefined ? {} : { restore }) });
      const generations = report.generations.map(({ generation, status, savedAt, savedBy, detail }) => ({
        generation,
        status,
        ...(savedAt === undefined ? {} : { savedAt }),
        ...(savedBy === undefined ? {} : { savedBy }),
        ...(detail === undefined ? {} : { detail }),
      }));
      return { name: report.name, restored: restore ?? null, generations };
    },
    'clipboard:copy-text': ({ text }) => copyPlainText(service.clipboard, text),
    'clipboard:status': () => ({ available: service.clipboard.kind !== 'none' }),
    'vault:lock': async () => {
      await service.lockNow({ next: 'unlock-screen', reason: 'user' });
      return ok;
    },
    'vault:status': () => ({ session: service.isUnlocked ? service.info() : null, lastLock: service.lastLock }),
    'vault:activity': () => {
      const open = service.noteActivity();
      return { unlocked: open !== null, locksInMs: open?.locksInMs ?? null };
    },
    'records:list': ({ type }) => listRecords(service.current(), type),
    'records:open': ({ id }) => openRecord(service.current(), id),
    'records:create': ({ type, title, data }) => createRecord(service.current(), { type, title, data }),
    'records:edit': ({ id, title, set, second }) => editRecord(service.current(), id, { set, ...(title === undefined ? {} : { title }) }, second),
    'records:delete': async ({ id, second }) => {
      await deleteRecord(service.current(), id, second);
      return ok;
    },
    'records:history': ({ id }) => recordHistory(service.current(), id),
    'records:revision-changes': ({ id, revision }) => revisionChanges(service.current(), id, revision),
    'secret:reveal': async ({ id, field, reason, second }) => ({ value: await revealField(service.current(), id, field, reason, second) }),
    'secret:copy': ({ id, field, reason, second }) =>
      copySecretField(service.clipboard, service.current(), { id, field, reason, ...(second ? { second } : {}) }),
    'secret:reveal-credential': async ({ id, reason, procedureId, second }) => ({
      fields: await revealCredential(service.current(), id, reason, { ...(second ? { second } : {}), ...(procedureId ? { procedureId } : {}) }),
    }),
    'members:list': () => service.current().members(),
    'members:add': ({ name, role, passphrase }) => addMember(service.current(), { name, role, passphrase }),
    'members:remove': async ({ name }) => {
      await removeMember(service.current(), name);
      return ok;
    },
    'members:passwd': async ({ current, next }) => {
      await changePassphrase(service.current(), current, next);
      return ok;
    },
    'audit:list': () => auditEntries(service.current()),
    'audit:verify': async () => {
      const report = await verifyAuditOnThreads(service.current());
      return { records: report.records, checks: report.checks };
    },
    'audit:checkpoint': async () => ({ note: await currentCheckpoint(service.current()) }),
    'audit:export': async ({ to, format = 'lifeboat' }) => {
      const session = service.current();
      const path = await chosenDestination(tokens, to, 'export', { vaultDir: session.dir, extensions: AUDIT_EXPORT_FORMATS[format].extensions });
      return { ...(await exportAuditAs(session, path, format)), path };
    },
    'records:search': ({ query, type, service: serviceName, tag, limit, exact }) =>
      searchRecords(service.current(), query, {
        ...(type ? { type } : {}),
        ...(serviceName ? { service: serviceName } : {}),
        ...(tag ? { tag } : {}),
        ...(limit ? { limit } : {}),
        ...(exact ? { exact } : {}),
      }),
    'records:search-settled': ({ query, type, service: serviceName, tag, limit, exact }) =>
      settleSearch(service.current(), query, {
        ...(type ? { type } : {}),
        ...(serviceName ? { service: serviceName } : {}),
        ...(tag ? { tag } : {}),
        ...(limit ? { limit } : {}),
        ...(exact ? { exact } : {}),
      }),
    'catalog:sync': async ({ path, catalogId, dryRun, allowDowngrade, downgradeReason, adopt, confirmArchive, takeCatalog }, { progress }) => {
      const take = new Set(takeCatalog ?? []);
      const report = await syncFromWindow(
        service.current(),
        service.stateDir,
        { path, catalogId },
        {
          dryRun: dryRun === true,
          allowDowngrade: allowDowngrade === true,
          ...(downgradeReason === undefined ? {} : { downgradeReason }),
          adopt: adopt === true,
          confirmArchive: confirmArchive === true,
          conflicts: (change) => (take.has(change.key) ? 'take-catalog' : 'keep-local'),
          progress: (done, total, label) => {
            progress({ taskId: 'catalog-sync', label, done, total: total > 0 ? total : null, finished: label === 'Done' });
          },
        },
      );
      return windowSyncReport(service.current(), report);
    },
    'contacts:call-list': () => callList(service.current()),
    'catalog:trust': async ({ publicKey, name, catalogPath }) => {
      const session = service.current();
      const entry = catalogPath
        ? await trustPublisherForCatalog(session, { publicKey, name, catalogPath })
        : await trustPublisherKey(session, { publicKey, name });
      return { name: entry.name, keyId: entry.keyId };
    },
    'catalog:status': () => catalogStatus(service.current()),
    'settings:set-auto-lock': async ({ minutes }) => {
      await setAutoLockMinutes(service.current(), minutes);
      return service.info();
    },
    'settings:set-review-days': async ({ days }) => {
      await setReviewDays(service.current(), days);
      return service.info();
    },
    'settings:set-oncall-warning-days': async ({ days }) => {
      await setOnCallWarningDays(service.current(), days);
      return service.info();
    },
  });
}
