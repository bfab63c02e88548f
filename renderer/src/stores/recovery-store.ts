/**
 * Recovery readiness (#6): the dependency graph, the plan for the services
 * that are down, and the readiness review. The engine computes all three
 * from the records each time, so a screen asks again whenever it opens.
 */
import { create } from 'zustand';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { ReadinessReview, RecoveryPlan, ServiceGraph } from '../../../shared/recovery';
import { invoke } from '../lifeboat-client';
import { useSessionStore } from './session-store';

export interface RecoveryState {
  graph: ServiceGraph | null;
  graphError: LifeboatErrorShape | null;
  /** Service ids the commander says are down; empty means "plan every service". */
  down: string[];
  plan: RecoveryPlan | null;
  planError: LifeboatErrorShape | null;
  readiness: ReadinessReview | null;
  readinessError: LifeboatErrorShape | null;
  /** A review interval chosen on the dashboard for this look only; null: the vault's own setting. */
  staleDays: number | null;
  /** Loads the graph, forgets chosen services that no longer exist, then plans. */
  refreshPlan: () => Promise<void>;
  setDown: (ids: string[]) => Promise<void>;
  /** `staleDays`: undefined keeps the current choice, null goes back to the vault's setting. */
  loadReadiness: (staleDays?: number | null) => Promise<void>;
  reset: () => void;
}

const EMPTY = {
  graph: null,
  graphError: null,
  down: [],
  plan: null,
  planError: null,
  readiness: null,
  readinessError: null,
  staleDays: null,
} satisfies Partial<RecoveryState>;

export const useRecoveryStore = create<RecoveryState>((set, get) => {
  // Ticking boxes is faster than the answers: only the latest request may land.
  let planRequest = 0;
  let readinessRequest = 0;

  const loadPlan = async (): Promise<void> => {
    const ticket = ++planRequest;
    const result = await invoke('recovery:plan', { services: get().down });
    if (ticket === planRequest) {
      set(result.ok ? { plan: result.value, planError: null } : { plan: null, planError: result.error });
    }
  };

  return {
    ...EMPTY,

    refreshPlan: async () => {
      const result = await invoke('recovery:graph', {});
      if (!result.ok) {
        set({ graphError: result.error });
        return;
      }
      const known = new Set(result.value.nodes.map((n) => n.id));
      set({ graph: result.value, graphError: null, down: get().down.filter((id) => known.has(id)) });
      await loadPlan();
    },

    setDown: async (ids) => {
      set({ down: [...new Set(ids)] });
      await loadPlan();
    },

    loadReadiness: async (staleDays) => {
      const days = staleDays === undefined ? get().staleDays : staleDays;
      set({ staleDays: days });
      const ticket = ++readinessRequest;
      const result = await invoke('recovery:readiness', days === null ? {} : { staleDays: days });
      if (ticket === readinessRequest) {
        set(result.ok ? { readiness: result.value, readinessError: null } : { readinessError: result.error });
      }
    },

    reset: () => {
      planRequest += 1;
      readinessRequest += 1;
      set(EMPTY);
    },
  };
});

// Nothing read from one vault may outlive its session: forget it all on lock,
// and when another vault or member takes the window.
useSessionStore.subscribe((state, previous) => {
  const now = state.session;
  const before = previous.session;
  if (now === before) {
    return;
  }
  if (now === null || before === null || now.vaultId !== before.vaultId || now.member !== before.member) {
    useRecoveryStore.getState().reset();
  }
});
