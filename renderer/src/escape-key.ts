/**
 * Esc closes the innermost thing only: a dialog, then a panel (a reveal
 * form, an editor), then the open record; and never throws away what the
 * person typed without asking (issue 19). A component that handles Esc
 * calls preventDefault, so the outer ones (listening on the window, which
 * hears the key last) leave it alone.
 */

/** A text field with something typed in it (a search box is not work to lose). */
function holdsTypedText(target: EventTarget | null): boolean {
  if (typeof HTMLTextAreaElement !== 'undefined' && target instanceof HTMLTextAreaElement) {
    return target.value !== '';
  }
  if (typeof HTMLInputElement !== 'undefined' && target instanceof HTMLInputElement) {
    return !['search', 'checkbox', 'radio', 'button', 'submit'].includes(target.type) && target.value !== '';
  }
  return false;
}

/** Whether an outer Esc handler (closing the record, a selection) may act on this key press. */
export function escapeIsFree(event: Pick<KeyboardEvent, 'key' | 'defaultPrevented' | 'target'>): boolean {
  return event.key === 'Escape' && !event.defaultPrevented && !holdsTypedText(event.target);
}
