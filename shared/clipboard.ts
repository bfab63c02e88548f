/**
 * The clipboard as both hosts and the window speak of it (issue 19, item 3):
 * main clears what it copied after this long, if it still holds it; where
 * main can reach no system clipboard, the window says this sentence before
 * anything is logged.
 */
export const CLIPBOARD_CLEAR_SECONDS = 30;

export const NO_CLIPBOARD_MESSAGE = 'No system clipboard on this laptop — select and copy by hand.';
