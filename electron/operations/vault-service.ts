/**
 * The open vault of a running app (window or browser host): one session at
 * a time, its engine operations queued one after another, and the idle lock
 * that main enforces whatever the renderer does. Host-agnostic: the host
 * passes timers, where the demo vault lives, and its clipboard.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LifeboatError } from '../../shared/errors.js';
import type { LastLock, LockReason, SessionInfo } from '../../shared/vault-contract.js';
import { quorumUnlocksToReview, type QuorumUnlock } from '../quorum/quorum-shares.js';
import { defaultStateDir } from '../vault/anchor/state-dir.js';
import { readSettings } from '../vault/vault-settings.js';
import type { VaultSession } from '../vault/vault-session.js';
import { prepareUnlock } from '../vault/warm-up.js';
import { memoryClipboard, vaultClipboard, type SecretClipboard, type VaultClipboard } from './secret-clipboard.js';

/** The clock of the idle lock; tests pass fake ones (idle-lock.test.ts, the e2e browser host). */
export interface IdleTimers {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
  /** Epoch ms; Date.now when absent. */
  now?: () => number;
}

/** What comes after a lock, and why it happened (for the lock screen). */
export type LockHow = { next: 'vault' } | { next: 'unlock-screen'; reason: LockReason; idleMinutes?: number };

export class VaultService {
  private session: VaultSession | null = null;
  /** Computed once per unlock: it reads the whole audit log. */
  private quorumUnlocks: QuorumUnlock[] = [];
  /** The tail of the queue of engine operations (see exclusive). */
  private queue: Promise<unknown> = Promise.resolve();
  private dir = '';
  private idleTimer: NodeJS.Timeout | null = null;
  /** When the idle timer runs out (epoch ms, the timers' clock), while a vault is open. */
  private idleDeadline: number | null = null;
  /** Why the vault last locked, until another is opened: the lock screen says it. */
  private lastLockInfo: LastLock | null = null;
  /** The host's clipboard, through which the vault remembers what it copied (cleared at lock). */
  readonly clipboard: VaultClipboard;

  /**
   * Timers are injectable so tests need not wait minutes; the demo vault
   * lives in the app's data folder (the host passes it), else a temp folder.
   * `stateDir` is where this laptop keeps each vault's local anchor (the
   * Electron shell passes its userData folder; else LIFEBOAT_STATE_DIR or the
   * platform's state folder, vault/anchor/state-dir.ts).
   */
  constructor(
    private readonly timers: IdleTimers = globalThis,
    readonly demoDir: string = join(tmpdir(), 'lifeboat-demo', 'demo.lifeboat'),
    clipboard: SecretClipboard = memoryClipboard(),
    readonly stateDir: string = defaultStateDir(),
  ) {
    this.clipboard = vaultClipboard(clipboard);
    // The unlock screen comes first: Argon2id's worker gets ready meanwhile.
    prepareUnlock();
  }

  /** The open session, for an operation of the person's: it restarts the idle timer. */
  current(): VaultSession {
    const session = this.peek();
    this.touch();
    return session;
  }

  /** The open session without counting as activity (the vault's status, the countdown). */
  private peek(): VaultSession {
    if (!this.session || this.session.isLocked) {
      throw new LifeboatError('VAULT_LOCKED', 'No vault is unlocked. Unlock one first.');
    }
    return this.session;
  }

  /**
   * The person is at work in the window (keys, wheel, pointer, scrolling;
   * the renderer sends it at most every 15 s): the idle timer restarts,
   * exactly as for a request. Null when no vault is open (nothing to keep).
   */
  noteActivity(): { locksInMs: number } | null {
    if (!this.isUnlocked) {
      return null;
    }
    this.touch();
    return { locksInMs: this.locksInMs() ?? 0 };
  }

  /** Milliseconds until main locks the open vault if nothing happens, or null when none is open. */
  locksInMs(): number | null {
    if (!this.isUnlocked || this.idleDeadline === null) {
      return null;
    }
    return Math.max(0, Math.round(this.idleDeadline - this.now()));
  }

  /** Why the vault last locked, while none is open since. */
  get lastLock(): LastLock | null {
    return this.isUnlocked ? null : this.lastLockInfo;
  }

  private now(): number {
    return this.timers.now?.() ?? Date.now();
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
    // The tail keeps no result: a revealed value or an opened record must not stay reachable from here.
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async replace(session: VaultSession, dir: string): Promise<SessionInfo> {
    // A vault was just unlocked: no unlock screen to get ready for.
    await this.lockNow({ next: 'vault' });
    this.session = session;
    this.dir = dir;
    this.quorumUnlocks = quorumUnlocksToReview(session);
    this.lastLockInfo = null;
    this.touch();
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
    this.idleDeadline = this.now() + minutes * 60_000;
    this.idleTimer = this.timers.setTimeout(() => {
      void this.exclusive(() => this.autoLock(session));
    }, minutes * 60_000);
    this.idleTimer.unref();
  }

  private async autoLock(session: VaultSession): Promise<void> {
    if (this.session !== session || session.isLocked) {
      return;
    }
    const idleMinutes = readSettings(session).autoLockMinutes;
    if (session.canSign) {
      await session.log({ type: 'vault.auto-locked', details: { idleMinutes } }).catch(() => undefined);
    }
    await this.lockNow({ next: 'unlock-screen', reason: 'idle', idleMinutes });
  }

  /** Who is in and the vault's settings; not activity (the status channel and the countdown read it). */
  info(): SessionInfo {
    const session = this.peek();
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
      onCallWarningDays: readSettings(session).onCallWarningDays,
      fingerprint: session.fingerprint,
      quorumUnlocks: this.quorumUnlocks,
    };
  }

  /** Locks after whatever operation is running (sleep, screen lock, quit), remembering why. */
  lock(reason: LockReason = 'user'): Promise<void> {
    return this.exclusive(() => this.lockNow({ next: 'unlock-screen', reason }));
  }

  /**
   * Locks now: only from inside an exclusive operation (a handler). The
   * unlock screen comes next, unless another vault is taking its place.
   *
   * After it, nothing here reaches the vault's content (security issue 15,
   * test/integration/lock-memory.test.ts): the session (keys zeroed, database
   * closed), the idle timer that held it, what this unlock read from the
   * audit log, and what the vault put on the clipboard, if it is still there.
   */
  async lockNow(how: LockHow = { next: 'unlock-screen', reason: 'user' }): Promise<void> {
    const { next } = how;
    const session = this.session;
    this.session = null;
    this.quorumUnlocks = [];
    if (this.idleTimer) {
      this.timers.clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    this.idleDeadline = null;
    if (how.next === 'unlock-screen' && session && !session.isLocked) {
      this.lastLockInfo = { reason: how.reason, idleMinutes: how.idleMinutes ?? null, at: new Date(this.now()).toISOString() };
    }
    try {
      await session?.lock();
    } finally {
      if (session) {
        // A clipboard that fails to clear must not keep the vault from locking.
        await this.clipboard.clearOwn().catch(() => undefined);
      }
    }
    if (next === 'unlock-screen') {
      prepareUnlock();
    }
  }

  get isUnlocked(): boolean {
    return this.session !== null && !this.session.isLocked;
  }

  /** The unlocked vault's folder, or null: what the window chooses is never written inside it. */
  get openFolder(): string | null {
    return this.isUnlocked ? this.dir : null;
  }
}
