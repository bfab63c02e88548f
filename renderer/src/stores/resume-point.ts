/**
 * Where the member was when the vault locked, so that unlocking again (the
 * same member of the same vault) puts them back: the same view, search,
 * open record and scroll positions (issue 19). Kept in this module's memory
 * only, and only ids, the query and numbers: never anything read from the
 * vault (forget-on-lock.ts still empties every store at the lock; the record
 * is opened again, and logged again, at the unlock). Another member, or
 * another vault, starts on a clean home screen.
 */
import type { RecordType } from '../../../shared/record-kinds';
import type { SessionInfo } from '../../../shared/vault-contract';
import { useAppStore, type View } from './app-store';
import { useLibraryStore } from './library-store';

export interface ResumePoint {
  vaultId: string;
  member: string;
  view: View;
  query: string;
  exact: boolean;
  typeFilter: RecordType | null;
  recordId: string | null;
  recordScroll: number;
  listScroll: number;
}

/** The scrolling panes, as Workspace and RecordPanel render them. */
export const RECORD_PANE = '[data-testid="record"]';
export const RESULTS_PANE = '[data-testid="results"]';

let point: ResumePoint | null = null;
/** The session the point was taken for: the member's Lock takes it first, the session's end would again. */
let capturedFor: unknown = null;

function scrollOf(selector: string): number {
  return typeof document === 'undefined' ? 0 : (document.querySelector(selector)?.scrollTop ?? 0);
}

/** Notes where `session`'s member is (before the stores forget it). */
export function captureResume(session: Pick<SessionInfo, 'vaultId' | 'member'>): void {
  if (session === capturedFor) {
    return;
  }
  capturedFor = session;
  const library = useLibraryStore.getState();
  point = {
    vaultId: session.vaultId,
    member: session.member,
    view: useAppStore.getState().view,
    query: library.query,
    exact: library.exact,
    typeFilter: library.typeFilter,
    recordId: library.selected?.id ?? null,
    recordScroll: scrollOf(RECORD_PANE),
    listScroll: scrollOf(RESULTS_PANE),
  };
}

/** What is remembered (tests). */
export function resumePoint(): ResumePoint | null {
  return point;
}

/** Sets `selector`'s scroll once it is on screen with enough content (a few frames at most). */
function restoreScroll(selector: string, top: number): void {
  if (top <= 0 || typeof requestAnimationFrame === 'undefined') {
    return;
  }
  let frames = 0;
  const attempt = (): void => {
    const pane = document.querySelector(selector);
    if (pane && pane.scrollHeight - pane.clientHeight >= top) {
      pane.scrollTop = top;
      return;
    }
    frames += 1;
    if (frames < 120) {
      requestAnimationFrame(attempt);
    }
  };
  requestAnimationFrame(attempt);
}

/**
 * After an unlock: back to where this member was in this vault, or a clean
 * home when someone else (or another vault) is in. The point is used once.
 */
export async function resumeAfterUnlock(session: Pick<SessionInfo, 'vaultId' | 'member'>): Promise<void> {
  const was = point;
  point = null;
  capturedFor = null;
  if (!was || was.vaultId !== session.vaultId || was.member !== session.member) {
    useAppStore.getState().setView('library');
    return;
  }
  useAppStore.getState().setView(was.view);
  const library = useLibraryStore.getState();
  if (was.typeFilter) {
    await library.setTypeFilter(was.typeFilter);
  }
  if (was.query) {
    // The member's "as typed" choice stays with the query (search() keeps it for the same query).
    useLibraryStore.setState({ query: was.query, exact: was.exact });
    await library.search(was.query);
  }
  restoreScroll(RESULTS_PANE, was.listScroll);
  if (was.recordId) {
    await library.open(was.recordId);
    restoreScroll(RECORD_PANE, was.recordScroll);
  }
}
