/** What the incident home shows before any search: call list and sync status. */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/contract';
import { invoke } from '../lifeboat-client';

export type CallList = ResponseOf<'contacts:call-list'>;
export type CatalogStatus = ResponseOf<'catalog:status'>;

export interface HomeState {
  callList: CallList | null;
  catalog: CatalogStatus | null;
  load: () => Promise<void>;
}

export const useHomeStore = create<HomeState>((set) => ({
  callList: null,
  catalog: null,
  load: async () => {
    const [contacts, catalog] = await Promise.all([invoke('contacts:call-list', {}), invoke('catalog:status', {})]);
    set({ callList: contacts.ok ? contacts.value : null, catalog: catalog.ok ? catalog.value : null });
  },
}));
