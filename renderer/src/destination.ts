/**
 * Where main writes a file, as this window may say it (issue 15). In the
 * desktop shell only main's own dialog chooses: it is opened when the member
 * asks for the write, and the window gets back a token for the choice (and
 * the path, to show), never a path it could send itself. The browser host has
 * no dialog: there the member types the path, and main checks it.
 */
import type { Destination, WritePurpose } from '../../shared/destinations';
import type { LifeboatErrorShape } from '../../shared/errors';
import type { SaveSuggestion } from '../../shared/save-names';
import { invoke } from './lifeboat-client';
import { useAppStore } from './stores/app-store';

/** A destination to send, the member cancelling the dialog, or why there is none. */
export type Chosen = { to: Destination } | 'cancelled' | { error: LifeboatErrorShape };

function choosesWithDialog(host: string | undefined): boolean {
  return host === 'electron';
}

/** Whether this window chooses where to write with main's dialog: then it shows no path field. */
export function useChoosesWithDialog(): boolean {
  return choosesWithDialog(useAppStore((s) => s.info?.host));
}

/**
 * The dialog's choice (desktop shell), else the typed path (browser host).
 * `suggest`: what is saved in which format, so the dialog offers a name
 * with that format's extension (main builds the name: shared/save-names.ts).
 */
export async function chooseDestination(purpose: WritePurpose, typed: string, suggest?: SaveSuggestion): Promise<Chosen> {
  if (!choosesWithDialog(useAppStore.getState().info?.host)) {
    return { to: { path: typed } };
  }
  const picked = await invoke('dialog:pick', suggest ? { purpose, suggest } : { purpose });
  if (!picked.ok) {
    return { error: picked.error };
  }
  return picked.value.token === null ? 'cancelled' : { to: { token: picked.value.token } };
}
