/**
 * open(2) flags for files in a vault folder (see vault-files.ts for why):
 * never follow a link in the last component, never wait on a FIFO.
 */
import { constants } from 'node:fs';

type Constants = Partial<typeof constants>;
/** 0 where the OS has no such flag (Windows): there, links and FIFOs are not planted by a folder writer. */
export const O_NOFOLLOW = (constants as Constants).O_NOFOLLOW ?? 0;
export const O_NONBLOCK = (constants as Constants).O_NONBLOCK ?? 0;

/** Flags for reading a vault file. */
export const READ_FLAGS = constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
/** Flags for appending to an existing vault file (the audit log). */
export const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | O_NOFOLLOW | O_NONBLOCK;
/** Flags for creating a vault file to append to; fails if the name exists (a link included). */
export const APPEND_CREATE_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;
/** Flags for trimming a vault file in place. */
export const READ_WRITE_FLAGS = constants.O_RDWR | O_NOFOLLOW | O_NONBLOCK;
