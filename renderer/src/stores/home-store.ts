/** What the incident home shows before any search: running sessions, call list and sync status. */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/contract';
import { invoke } from '../lifeboat-client';

export type CallList = ResponseOf<'contacts:call-list'>;
export type CatalogStatus = ResponseOf<'catalog:status'>;

export type SessionList = ResponseOf<'sessions:list'>;

export interface HomeState {
  callList: CallList | null;
  catalog: CatalogStatus | null;
  /** Exercises and incidents still running: the first thing a commander coming back needs. */
  running: SessionList;
  /** The services of the running incidents (issue 23: who is on call for them), in session order. */
  incidentServices: string[];
  load: () => Promise<void>;
}

export const useHomeStore = create<HomeState>((set) => ({
  callList: null,
  catalog: null,
  running: [],
  incidentServices: [],
  load: async () => {
    const [contacts, catalog, sessions] = await Promise.all([invoke('contacts:call-list', {}), invoke('catalog:status', {}), invoke('sessions:list', {})]);
    const running = sessions.ok ? sessions.value.filter((s) => s.status === 'active') : [];
    const incidents = await Promise.all(running.filter((s) => s.kind === 'incident').map((s) => invoke('sessions:get', { id: s.id })));
    const incidentServices = [...new Set(incidents.flatMap((r) => (r.ok ? r.value.services.map((svc) => svc.id) : [])))].slice(0, 100);
    set({
      callList: contacts.ok ? contacts.value : null,
      catalog: catalog.ok ? catalog.value : null,
      running,
      incidentServices,
    });
  },
}));
