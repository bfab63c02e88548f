/**
 * Where the window may make main write (issue 15: a compromised renderer must
 * not choose where files land). In a host with native dialogs (the desktop
 * shell) a destination is only ever one the member chose in main's own
 * dialog: `dialog:pick` keeps the path here and gives the renderer a token
 * for it, random, used once, bound to what it was picked for and good for a
 * minute. A write channel takes the token back; a path sent by the renderer
 * is refused. A host without dialogs (the browser host) takes typed paths,
 * checked by `checkChosenPath` like every other destination.
 */
import { randomBytes } from 'node:crypto';
import type { Destination, WritePurpose } from '../../shared/destinations.js';
import { LifeboatError } from '../../shared/errors.js';
import { checkChosenPath, type DestinationKind } from './output-paths.js';

/** Long enough to go from the dialog to the write it was opened for, not to keep one for later. */
export const TOKEN_LIFETIME_MS = 60_000;

const WHAT: Record<WritePurpose, { label: string; kind: DestinationKind }> = {
  'new-vault': { label: 'a new vault', kind: 'new-vault' },
  export: { label: 'the audit export', kind: 'file' },
  report: { label: 'an evidence report', kind: 'file' },
  'sheets-folder': { label: 'the recovery sheets', kind: 'folder' },
  kit: { label: 'the emergency kit', kind: 'file' },
  binder: { label: 'the binder', kind: 'file' },
};

interface Choice {
  purpose: WritePurpose;
  path: string;
  expiresAt: number;
}

function notChosen(why: string): LifeboatError {
  return new LifeboatError('DESTINATION_NOT_CHOSEN', `${why} Nothing was written.`);
}

/** The choices made in main's dialogs and not yet used. One per app (per window's handlers). */
export class DestinationTokens {
  private readonly choices = new Map<string, Choice>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly lifetimeMs: number = TOKEN_LIFETIME_MS,
  ) {}

  /** Keeps a path the member chose in a dialog; returns the token that stands for it. */
  issue(purpose: WritePurpose, path: string): string {
    const now = this.now();
    for (const [token, choice] of this.choices) {
      if (choice.expiresAt <= now) {
        this.choices.delete(token);
      }
    }
    const token = randomBytes(32).toString('base64url');
    this.choices.set(token, { purpose, path, expiresAt: now + this.lifetimeMs });
    return token;
  }

  /** The chosen path; the token is spent whatever the outcome, so a refused one cannot be tried again. */
  redeem(token: string, purpose: WritePurpose): string {
    const choice = this.choices.get(token);
    this.choices.delete(token);
    if (!choice) {
      throw notChosen('That file choice is unknown or was already used: choose where to write again.');
    }
    if (choice.expiresAt <= this.now()) {
      throw notChosen('That file choice has expired (a choice is good for one minute): choose where to write again.');
    }
    if (choice.purpose !== purpose) {
      throw notChosen(`That file choice was made for ${WHAT[choice.purpose].label}, not ${WHAT[purpose].label}: choose where to write again.`);
    }
    return choice.path;
  }
}

export interface DestinationContext {
  /** The open vault's folder, if any: nothing the window chooses is written inside it. */
  vaultDir: string | null;
  /** For a typed file: the extensions its name may end in (the format written). */
  extensions?: readonly string[];
}

/**
 * The path a write channel writes to, checked. `tokens` is the host's dialog
 * choices, or null for a host without dialogs (typed paths).
 */
export async function chosenDestination(
  tokens: DestinationTokens | null,
  to: Destination,
  purpose: WritePurpose,
  context: DestinationContext,
): Promise<string> {
  const { kind } = WHAT[purpose];
  if (tokens) {
    if ('path' in to) {
      throw notChosen(`This window writes ${WHAT[purpose].label} only where you choose in its file dialog; a path sent by the page itself is refused.`);
    }
    // The member chose it in main's dialog: the extension is theirs to pick.
    return checkChosenPath(tokens.redeem(to.token, purpose), { kind, vaultDir: context.vaultDir });
  }
  if ('token' in to) {
    throw notChosen('This window has no file dialog to choose with: type the full path instead.');
  }
  return checkChosenPath(to.path, { kind, vaultDir: context.vaultDir, ...(context.extensions ? { extensions: context.extensions } : {}) });
}
