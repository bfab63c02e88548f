/**
 * Recovery shares, quorum unlock, the emergency kit and the two-person rule
 * (issue #7) on the window's side. Typed shares never live here: they stay
 * in the unlock form's own state and are cleared after use. Created shares
 * never reach the renderer at all: main writes them straight to the sheets.
 */
import { create } from 'zustand';
import { NO_CLIPBOARD_MESSAGE } from '../../../shared/clipboard';
import type { ResponseOf } from '../../../shared/contract';
import type { LifeboatErrorShape, Result } from '../../../shared/errors';
import type { RecoverySetView } from '../../../shared/quorum-contract';
import type { SessionInfo } from '../../../shared/vault-contract';
import { chooseDestination } from '../destination';
import { invoke } from '../lifeboat-client';
import { sealedCopyKey, useClipboardStore } from './clipboard-store';
import { REVEAL_SECONDS, useLibraryStore } from './library-store';
import { useMembersStore } from './members-store';
import { resumeAfterUnlock } from './resume-point';
import { LAST_VAULT_KEY, useSessionStore } from './session-store';

export { QUORUM_MEMBER } from '../../../shared/record-kinds';

export interface SecondPerson {
  member: string;
  passphrase: string;
}

export interface QuorumState {
  /** The vault's current share set; undefined until loaded. */
  status: RecoverySetView | null | undefined;
  written: ResponseOf<'shares:create'> | null;
  kit: ResponseOf<'kit:export'> | null;
  kitError: LifeboatErrorShape | null;
  notice: string | null;
  error: LifeboatErrorShape | null;
  busy: boolean;
  /** Who opened this session with their shares, and why (the quorum's own session only). */
  opening: { custodians: string[]; reason: string } | null;
  /** The quorum-unlock notice this member has acknowledged (see noticeKey). */
  dismissed: string | null;
  /** Records learned to be under the two-person rule (a procedure can impose it on a secret). */
  twoPersonIds: string[];
  loadStatus: () => Promise<void>;
  /** `typedDir` in the browser host; the desktop shell asks with main's dialog instead. */
  createShares: (threshold: number, custodians: string[], typedDir: string) => Promise<boolean>;
  revoke: () => Promise<boolean>;
  /** `typed` in the browser host; the desktop shell asks with main's dialog instead. */
  exportKit: (typed: string) => Promise<boolean>;
  unlock: (dir: string, shares: string[], reason: string, custodians: string[]) => Promise<Result<SessionInfo>>;
  dismiss: (key: string) => void;
  markTwoPerson: (id: string) => void;
  /** A reveal or copy confirmed by a second member; its error, if any, is the field's own (null when done). */
  unsealWithSecond: (mode: 'reveal' | 'copy', field: string, reason: string, second: SecondPerson) => Promise<LifeboatErrorShape | null>;
  reset: () => void;
}

/** One notice per session and set of unlocks: settings changes replace the session object, not this. */
export function noticeKey(session: SessionInfo): string {
  return [session.vaultId, session.member, ...session.quorumUnlocks.map((u) => u.at)].join('|');
}

export const useQuorumStore = create<QuorumState>((set, get) => {
  /** Runs one owner action on the card; errors land on the card. */
  const act = async <T>(request: Promise<Result<T>>, done: (value: T) => Partial<QuorumState>): Promise<boolean> => {
    set({ busy: true, error: null, notice: null });
    const result = await request;
    if (!result.ok) {
      set({ busy: false, error: result.error });
      return false;
    }
    set({ busy: false, ...done(result.value) });
    return true;
  };
  return {
    status: undefined,
    written: null,
    kit: null,
    kitError: null,
    notice: null,
    error: null,
    busy: false,
    opening: null,
    dismissed: null,
    twoPersonIds: [],

    loadStatus: async () => {
      const result = await invoke('shares:status', {});
      set(result.ok ? { status: result.value } : { error: result.error });
    },

    createShares: async (threshold, custodians, typedDir) => {
      const chosen = await chooseDestination('sheets-folder', typedDir);
      if (chosen === 'cancelled' || 'error' in chosen) {
        set({ error: chosen === 'cancelled' ? null : chosen.error, notice: null });
        return false;
      }
      const ok = await act(invoke('shares:create', { threshold, custodians, to: chosen.to }), (value) => ({ status: value.set, written: value, notice: null }));
      // The "recovery quorum" key slot appears in the members list.
      await useMembersStore.getState().load();
      return ok;
    },

    revoke: async () => {
      const setId = get().status?.setId ?? '';
      const ok = await act(invoke('shares:revoke', {}), () => ({
        status: null,
        written: null,
        notice: `Recovery shares revoked and the vault rekeyed: no sheet of set ${setId} opens it any more.`,
      }));
      await useMembersStore.getState().load();
      return ok;
    },

    exportKit: async (typed) => {
      set({ busy: true, kit: null, kitError: null });
      const chosen = await chooseDestination('kit', typed);
      if (chosen === 'cancelled' || 'error' in chosen) {
        set({ busy: false, kitError: chosen === 'cancelled' ? null : chosen.error });
        return false;
      }
      const result = await invoke('kit:export', { to: chosen.to });
      set(result.ok ? { busy: false, kit: result.value } : { busy: false, kitError: result.error });
      return result.ok;
    },

    unlock: async (dir, shares, reason, custodians) => {
      const result = await invoke('vault:unlock-quorum', { dir, shares, reason });
      if (result.ok) {
        localStorage.setItem(LAST_VAULT_KEY, dir);
        set({ opening: { custodians, reason: reason.trim() } });
        useSessionStore.setState({ session: result.value, error: null, busy: false, lastLock: null });
        // Nobody's own screen: a quorum opening starts on a clean home (resume-point.ts).
        await resumeAfterUnlock(result.value);
      }
      return result;
    },

    dismiss: (key) => {
      set({ dismissed: key });
    },

    markTwoPerson: (id) => {
      if (!get().twoPersonIds.includes(id)) {
        set({ twoPersonIds: [...get().twoPersonIds, id] });
      }
    },

    // library-store's reveal and copy take no second person; this is the same
    // request with one, landing in the same places (revealed / copied). Its
    // error stays with the field: a second member's typo is not the library's.
    unsealWithSecond: async (mode, field, reason, second) => {
      const selected = useLibraryStore.getState().selected;
      if (!selected) {
        return null;
      }
      const request = { id: selected.id, field, reason, second };
      if (mode === 'reveal') {
        const result = await invoke('secret:reveal', request);
        if (!result.ok) {
          return result.error;
        }
        useLibraryStore.setState({
          revealed: { recordId: selected.id, field, value: result.value.value, hideAt: Date.now() + REVEAL_SECONDS * 1000 },
          error: null,
        });
        return null;
      }
      const clipboard = useClipboardStore.getState();
      if (!(await clipboard.ensureAvailable())) {
        return { code: 'CLIPBOARD_UNAVAILABLE', message: NO_CLIPBOARD_MESSAGE };
      }
      const result = await invoke('secret:copy', request);
      if (!result.ok) {
        return result.error;
      }
      clipboard.copied(sealedCopyKey(selected.id, field), result.value.clearsInSeconds);
      useLibraryStore.setState({ error: null });
      return null;
    },

    reset: () => {
      set({ status: undefined, written: null, kit: null, kitError: null, notice: null, error: null, busy: false });
    },
  };
});
