/**
 * Nothing read from a vault outlives its session in the window (security
 * issue 15): when the session ends (the lock button, Ctrl+L, the countdown,
 * or main locking by itself: lifeboat-client.ts onVaultLocked), or another
 * vault or member takes the window, every store that holds what was read
 * goes back to its first state: records, search results, the open record, a
 * revealed value, the call list, the audit timeline, a sync's diff, members,
 * the quorum card, the binder card. An open record's history and diffs live in its panel,
 * which the unlock screen replaces. The recovery and sessions stores forget
 * by themselves (recovery-store.ts, sessions-store.ts). Only where the member
 * was (ids, the query, scroll positions) is kept, in memory, for their next
 * unlock (resume-point.ts).
 */
import type { StoreApi } from 'zustand';
import { useAuditStore } from './audit-store';
import { useAuditViewStore } from './audit-view-store';
import { useBannerStore } from './banner-store';
import { useBinderStore } from './binder-store';
import { useClipboardStore } from './clipboard-store';
import { useHomeStore } from './home-store';
import { useLibraryStore } from './library-store';
import { useMembersStore } from './members-store';
import { useQuorumStore } from './quorum-store';
import { captureResume } from './resume-point';
import { useSessionStore, type SessionState } from './session-store';
import { useSyncStore } from './sync-store';

type Resettable = Pick<StoreApi<object>, 'setState' | 'getInitialState'>;

const STORES: readonly Resettable[] = [
  useLibraryStore,
  useHomeStore,
  useAuditStore,
  useAuditViewStore,
  useSyncStore,
  useMembersStore,
  useQuorumStore,
  useClipboardStore,
  useBinderStore,
];

/** Every vault store back to its first state (its actions are part of it, unchanged). */
export function forgetVault(): void {
  // The library's own reset also stops its pending search-settle timer.
  useLibraryStore.getState().reset();
  // A dismissed critical banner (failed unlock attempts) is news again at the next unlock.
  useBannerStore.getState().forgetCritical();
  for (const store of STORES) {
    store.setState(store.getInitialState(), true);
  }
}

function sessionEnded(now: SessionState['session'], before: SessionState['session']): boolean {
  if (now === before || before === null) {
    return false;
  }
  return now === null || now.vaultId !== before.vaultId || now.member !== before.member;
}

/** Installs the forgetting (main.tsx, at start); returns the function that stops it. */
export function forgetOnLock(): () => void {
  return useSessionStore.subscribe((state, previous) => {
    if (sessionEnded(state.session, previous.session) && previous.session) {
      // Where the member was (ids, query, scroll: nothing read), for their next unlock (resume-point.ts).
      captureResume(previous.session);
      forgetVault();
    }
  });
}
