/**
 * The vault channels. One vault is open at a time per app; the service
 * holds its session and locks it (zeroing keys) on request, on a new unlock,
 * and when the app quits.
 */
import { LifeboatError } from '../../shared/errors.js';
import type { SessionInfo } from '../../shared/vault-contract.js';
import { auditEntries, currentCheckpoint, exportAudit, verifyAudit } from '../vault/audit/vault-audit.js';
import { addMember, changePassphrase, removeMember } from '../vault/vault-members.js';
import { createVault, openVault } from '../vault/vault-open.js';
import {
  callList,
  copyField,
  createRecord,
  deleteRecord,
  editRecord,
  listRecords,
  openRecord,
  recordHistory,
  revealField,
  revisionChanges,
  searchRecords,
} from '../vault/records/vault-records.js';
import { briefReport, syncCatalog } from '../catalog/catalog-sync.js';
import { lastSync, trustPublisher, trustedPublishers } from '../catalog/catalog-trust.js';
import { encodeBase64, keyIdWith, parsePublicKey } from '../catalog/publisher-key.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openDemoVault } from '../vault/demo-vault.js';
import { readHeader } from '../vault/keys/vault-header.js';
import { CLIPBOARD_CLEAR_SECONDS, copyWithExpiry, memoryClipboard, type SecretClipboard } from './secret-clipboard.js';
import type { VaultSession } from '../vault/vault-session.js';
import { prepareUnlock } from '../vault/warm-up.js';
import { readSettings, setAutoLockMinutes, setReviewDays } from '../vault/vault-settings.js';
import { quorumUnlocksToReview, type QuorumUnlock } from '../quorum/quorum-shares.js';
import type { Handlers } from './router.js';

export class VaultService {
  private session: VaultSession | null = null;
  /** Computed once per unlock: it reads the whole audit log. */
  private quorumUnlocks: QuorumUnlock[] = [];
  /** The tail of the queue of engine operations (see exclusive). */
  private queue: Promise<unknown> = Promise.resolve();
  private dir = '';
  private idleTimer: NodeJS.Timeout | null = null;

  /**
   * Timers are injectable so tests need not wait minutes; the demo vault
   * lives in the app's data folder (the host passes it), else a temp folder.
   */
  constructor(
    private readonly timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } = globalThis,
    readonly demoDir: string = join(tmpdir(), 'lifeboat-demo', 'demo.lifeboat'),
    readonly clipboard: SecretClipboard = memoryClipboard(),
  ) {
    // The unlock screen comes first: Argon2id's worker gets ready meanwhile.
    prepareUnlock();
  }

  current(): VaultSession {
    if (!this.session || this.session.isLocked) {
      throw new LifeboatError('VAULT_LOCKED', 'No vault is unlocked. Unlock one first.');
    }
    this.touch();
    return this.session;
  }

  /**
   * Runs one engine operation at a time, in arrival order. The renderer may
   * fire requests together (opening a record while the home screen logs the
   * call list; two ticks in a second); the engine reads, logs, then writes,
   * so two interleaved would lose one's change. Every vault and recovery
   * channel, the idle timer and the host's lock (sleep, quit) go through here.
   */
  exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async replace(session: VaultSession, dir: string): Promise<SessionInfo> {
    // A vault was just unlocked: no unlock screen to get ready for.
    await this.lockNow({ next: 'vault' });
    this.session = session;
    this.dir = dir;
    this.quorumUnlocks = quorumUnlocksToReview(session);
    return this.info();
  }

  /**
   * Every request through the vault channels resets the idle timer; when it
   * runs out, main locks the vault itself, whatever the renderer is doing.
   */
  private touch(): void {
    const session = this.session;
    if (!session) {
      return;
    }
    if (this.idleTimer) {
      this.timers.clearTimeout(this.idleTimer);
    }
    const minutes = readSettings(session).autoLockMinutes;
    this.idleTimer = this.timers.setTimeout(() => {
      void this.exclusive(() => this.autoLock(session));
    }, minutes * 60_000);
    this.idleTimer.unref();
  }

  private async autoLock(session: VaultSession): Promise<void> {
    if (this.session !== session || session.isLocked) {
      return;
    }
    if (session.canSign) {
      await session.log({ type: 'vault.auto-locked', details: { idleMinutes: readSettings(session).autoLockMinutes } }).catch(() => undefined);
    }
    await this.lockNow();
  }

  info(): SessionInfo {
    const session = this.current();
    return {
      vaultId: session.vaultId,
      vaultName: session.header.name,
      dir: this.dir,
      member: session.member.name,
      role: session.member.role,
      insecureFastKdf: session.insecureFastKdf,
      failedAttemptsBefore: session.failedAttemptsBefore,
      autoLockMinutes: readSettings(session).autoLockMinutes,
      reviewDays: readSettings(session).reviewDays,
      fingerprint: session.fingerprint,
      quorumUnlocks: this.quorumUnlocks,
    };
  }

  /** Locks after whatever operation is running (sleep, screen lock, quit). */
  lock(): Promise<void> {
    return this.exclusive(() => this.lockNow());
  }

  /**
   * Locks now: only from inside an exclusive operation (a handler). The
   * unlock screen comes next, unless another vault is taking its place.
   */
  async lockNow({ next }: { next: 'unlock-screen' | 'vault' } = { next: 'unlock-screen' }): Promise<void> {
    const session = this.session;
    this.session = null;
    if (this.idleTimer) {
      this.timers.clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    await session?.lock();
    if (next === 'unlock-screen') {
      prepareUnlock();
    }
  }

  get isUnlocked(): boolean {
    return this.session !== null && !this.session.isLocked;
  }
}

type VaultChannels =
  | 'vault:create'
  | 'vault:unlock'
  | 'vault:lock'
  | 'vault:members-preview'
  | 'clipboard:copy-text'
  | 'vault:demo'
  | 'vault:status'
  | 'records:list'
  | 'records:open'
  | 'records:create'
  | 'records:edit'
  | 'records:delete'
  | 'records:history'
  | 'records:revision-changes'
  | 'secret:reveal'
  | 'secret:copy'
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
  | 'records:search'
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

export function createVaultHandlers(service: VaultService): Pick<Handlers, VaultChannels> {
  return oneAtATime(service, {
    'vault:create': async ({ dir, owner, passphrase, name }) =>
      service.replace(await createVault(dir, { owner, passphrase, ...(name ? { name } : {}) }), dir),
    'vault:unlock': async ({ dir, member, passphrase }) => service.replace(await openVault(dir, { member, passphrase }), dir),
    'vault:demo': async () => service.replace(await openDemoVault(service.demoDir), service.demoDir),
    'vault:members-preview': async ({ dir }) => {
      const header = await readHeader(dir);
      return { name: header.name, members: header.slots.map((slot) => slot.member) };
    },
    'clipboard:copy-text': ({ text }) => {
      service.clipboard.write(text);
      return { clipboard: service.clipboard.kind };
    },
    'vault:lock': async () => {
      await service.lockNow();
      return ok;
    },
    'vault:status': () => ({ session: service.isUnlocked ? service.info() : null }),
    'records:list': ({ type }) => listRecords(service.current(), type),
    'records:open': ({ id }) => openRecord(service.current(), id),
    'records:create': ({ type, title, data }) => createRecord(service.current(), { type, title, data }),
    'records:edit': ({ id, title, set }) => editRecord(service.current(), id, { set, ...(title === undefined ? {} : { title }) }),
    'records:delete': async ({ id }) => {
      await deleteRecord(service.current(), id);
      return ok;
    },
    'records:history': ({ id }) => recordHistory(service.current(), id),
    'records:revision-changes': ({ id, revision }) => revisionChanges(service.current(), id, revision),
    'secret:reveal': async ({ id, field, reason, second }) => ({ value: await revealField(service.current(), id, field, reason, second) }),
    'secret:copy': async ({ id, field, reason, second }) => {
      copyWithExpiry(service.clipboard, await copyField(service.current(), id, field, reason, second));
      return { clearsInSeconds: CLIPBOARD_CLEAR_SECONDS, clipboard: service.clipboard.kind };
    },
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
    'audit:verify': () => {
      const report = verifyAudit(service.current());
      return { records: report.records, checks: report.checks };
    },
    'audit:checkpoint': async () => ({ note: await currentCheckpoint(service.current()) }),
    'audit:export': ({ path }) => exportAudit(service.current(), path),
    'records:search': ({ query, type, service: serviceName, tag, limit }) =>
      searchRecords(service.current(), query, {
        ...(type ? { type } : {}),
        ...(serviceName ? { service: serviceName } : {}),
        ...(tag ? { tag } : {}),
        ...(limit ? { limit } : {}),
      }),
    'catalog:sync': async ({ path, dryRun, allowDowngrade, takeCatalog }, { progress }) => {
      const session = service.current();
      const bytes = new Uint8Array(await readFile(path).catch(() => {
        throw new LifeboatError('VAULT_NOT_FOUND', `Could not read ${path}.`);
      }));
      const take = new Set(takeCatalog ?? []);
      const report = await syncCatalog(session, { kind: 'signed', bytes, label: basename(path) }, {
        dryRun: dryRun === true,
        allowDowngrade: allowDowngrade === true,
        conflicts: (change) => (take.has(change.key) ? 'take-catalog' : 'keep-local'),
        progress: (done, total, label) => {
          progress({ taskId: 'catalog-sync', label, done, total: total > 0 ? total : null, finished: label === 'Done' });
        },
      });
      return briefReport(report);
    },
    'contacts:call-list': () => callList(service.current()),
    'catalog:trust': async ({ publicKey, name }) => {
      const key = parsePublicKey(publicKey);
      const entry = await trustPublisher(service.current(), { name, keyId: keyIdWith(await loadSodium(), key), publicKey: encodeBase64(key) });
      return { name: entry.name, keyId: entry.keyId };
    },
    'catalog:status': () => {
      const session = service.current();
      return {
        last: lastSync(session),
        publishers: trustedPublishers(session).map(({ name, keyId, addedAt, addedBy }) => ({ name, keyId, addedAt, addedBy })),
      };
    },
    'settings:set-auto-lock': async ({ minutes }) => {
      await setAutoLockMinutes(service.current(), minutes);
      return service.info();
    },
    'settings:set-review-days': async ({ days }) => {
      await setReviewDays(service.current(), days);
      return service.info();
    },
  });
}
