/**
 * The one error shape that crosses every boundary: engine → IPC → UI, and
 * engine → CLI exit code. A code is stable and machine-readable; the message
 * is a sentence written for the person in front of the screen.
 */
export const ERROR_CODES = {
  // Exit codes follow the CLI contract: 0 ok, 1 anything else, 2 bad usage or
  // invalid input, 3 wrong passphrase or unknown member, 4 integrity failure,
  // 5 vault busy, 6 not permitted for this role.

  /** The payload did not match the channel's schema. */
  IPC_BAD_REQUEST: { exit: 2 },
  /** The channel is not part of the contract. */
  IPC_UNKNOWN_CHANNEL: { exit: 2 },
  /** The request came from a frame that is not our own page. */
  IPC_FORBIDDEN_SENDER: { exit: 2 },
  /** A command-line usage mistake. */
  CLI_USAGE: { exit: 2 },
  /** Input that names a file, field or line and is wrong (a record field, a checkpoint file…). */
  VAULT_BAD_INPUT: { exit: 2 },
  /** There is no vault (or no such record) where the request says. */
  VAULT_NOT_FOUND: { exit: 2 },
  /** A vault already exists where one was to be created. */
  VAULT_EXISTS: { exit: 2 },
  /** Wrong passphrase, or no member of that name: deliberately one code. */
  VAULT_AUTH_FAILED: { exit: 3 },
  /** The vault's header or newest snapshot failed authentication. */
  VAULT_TAMPERED: { exit: 4 },
  /** A vault written by a newer Lifeboat, in a format this one cannot read: nothing was changed. */
  VAULT_TOO_NEW: { exit: 1 },
  /** The audit log is truncated, reordered, altered, or does not match the snapshot. */
  AUDIT_BROKEN: { exit: 4 },
  /** Another process holds the vault open. */
  VAULT_BUSY: { exit: 5 },
  /** The member's role does not allow this. */
  VAULT_FORBIDDEN: { exit: 6 },
  /** The vault is locked (or was never unlocked in this session). */
  VAULT_LOCKED: { exit: 1 },
  /** A catalog's files are invalid: every problem is listed (file, line, field). */
  CATALOG_INVALID: { exit: 2 },
  /** A catalog signed by a publisher this vault does not trust. */
  CATALOG_UNTRUSTED: { exit: 4 },
  /** A catalog version not newer than the one already applied (a replay or rollback). */
  CATALOG_ROLLBACK: { exit: 4 },
  /** A catalog id pinned to one publisher's key, signed by another (docs/catalog-format.md, "Publisher pinning"). */
  CATALOG_PUBLISHER_CHANGED: { exit: 4 },
  /** A catalog version implausibly far above the last one applied (squatting the id's version space). */
  CATALOG_VERSION_JUMP: { exit: 4 },
  /** An unsigned folder whose name is too generic to be its catalog's id (shared/catalog-ids.ts): give one (--id). */
  CATALOG_ID_REQUIRED: { exit: 2 },
  /** A sync that would archive more than a quarter of a catalog's records, not confirmed (--yes): nothing was changed. */
  CATALOG_ARCHIVE_UNCONFIRMED: { exit: 2 },
  /** A signed catalog whose id holds records of an unsigned folder: an owner adopts them (--adopt) or it uses another id. */
  CATALOG_ADOPTION_REQUIRED: { exit: 2 },
  /** A recovery session that has ended cannot be changed. */
  SESSION_ENDED: { exit: 2 },
  /** A recovery share that fails its own checks (a group, its length, its checksum): the message names the group. */
  SHARE_INVALID: { exit: 2 },
  /** Shares that are valid but do not open this vault: another vault, a rotated set, too few, the same one twice. */
  SHARE_REJECTED: { exit: 3 },
  /** A two-person secret revealed without a second member's confirmation. */
  TWO_PERSON_REQUIRED: { exit: 6 },
  /** A file-system failure: disk full, read-only folder… */
  VAULT_IO: { exit: 1 },
  /** A component of the engine failed its self-test. */
  ENGINE_UNAVAILABLE: { exit: 1 },
  /** The browser host found no Chromium to run. */
  HOST_NO_BROWSER: { exit: 1 },
  /** A window was asked for but there is no display to show it on. */
  HOST_NO_DISPLAY: { exit: 1 },
  /** No clipboard Lifeboat can reach (the browser host found no wl-copy, xclip or xsel): nothing was copied or logged. */
  CLIPBOARD_UNAVAILABLE: { exit: 1 },
  /** A clipboard tool failed or did not answer: the copy is logged, the clipboard may not hold it. */
  CLIPBOARD_FAILED: { exit: 1 },
  /** This host has no native file dialogs (the browser host): type the path instead. */
  HOST_NO_DIALOG: { exit: 1 },
  /**
   * Where to write was not chosen in this window's own file dialog: a path sent by the
   * window where only a dialog may choose, or a choice unknown, already used, expired or
   * made for something else (issue 15). Nothing was written.
   */
  DESTINATION_NOT_CHOSEN: { exit: 2 },
  /** Anything we did not anticipate; the detail goes to the log, not the UI. */
  INTERNAL: { exit: 1 },
} as const satisfies Record<string, { exit: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem in an input file, for errors that report many at once. */
export interface InputProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export interface LifeboatErrorShape {
  code: ErrorCode;
  message: string;
  /** Every problem found, when the error is about many (a catalog's files). */
  problems?: InputProblem[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: LifeboatErrorShape };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value);
}

/** The process exit code the CLI uses for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CODES[code].exit;
}

/**
 * The error engine code throws. Anything else that reaches a boundary is
 * reported as INTERNAL with a generic sentence, so no stack or path leaks.
 */
export class LifeboatError extends Error {
  readonly code: ErrorCode;
  readonly problems: InputProblem[] | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; problems?: InputProblem[] }) {
    super(message, options);
    this.name = 'LifeboatError';
    this.code = code;
    this.problems = options?.problems;
  }

  toShape(): LifeboatErrorShape {
    return this.problems ? { code: this.code, message: this.message, problems: this.problems } : { code: this.code, message: this.message };
  }
}

export function toErrorShape(error: unknown): LifeboatErrorShape {
  if (error instanceof LifeboatError) {
    return error.toShape();
  }
  return { code: 'INTERNAL', message: 'Something unexpected went wrong inside Lifeboat; the operation did not complete.' };
}

/** The refusal for a channel outside the contract (checked in preload and in main). */
export function unknownChannelError(channel: unknown): LifeboatErrorShape {
  // No String(channel): an object without a prototype, or with a throwing
  // toString, would turn a refusal into an exception.
  const name = typeof channel === 'string' ? `"${channel.slice(0, 80)}"` : `A ${typeof channel}`;
  return { code: 'IPC_UNKNOWN_CHANNEL', message: `${name} is not a Lifeboat request.` };
}
