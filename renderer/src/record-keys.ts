/**
 * PageUp, PageDown, Home and End read the open record wherever the keyboard
 * is in the library (the results list, the search box): the commander keeps
 * the list of hits at hand while reading the runbook (issue 19).
 */
import { RECORD_PANE } from './stores/resume-point';

/** How far a key moves a pane `height` pixels tall from `top`, out of `scrollHeight`; null when not a reading key. */
export function scrollTarget(key: string, top: number, height: number, scrollHeight: number): number | null {
  // A page is the pane less a couple of lines, so the line read last stays in view (as browsers do).
  const page = Math.max(40, height - 40);
  switch (key) {
    case 'PageDown':
      return Math.min(scrollHeight - height, top + page);
    case 'PageUp':
      return Math.max(0, top - page);
    case 'Home':
      return 0;
    case 'End':
      return Math.max(0, scrollHeight - height);
    default:
      return null;
  }
}

/** Scrolls the open record for a reading key (and takes the key); anything else is left alone. */
export function scrollRecordFor(event: { key: string; preventDefault: () => void }): void {
  const pane = document.querySelector<HTMLElement>(RECORD_PANE);
  if (!pane) {
    return;
  }
  const top = scrollTarget(event.key, pane.scrollTop, pane.clientHeight, pane.scrollHeight);
  if (top === null) {
    return;
  }
  event.preventDefault();
  pane.scrollTop = top;
}
