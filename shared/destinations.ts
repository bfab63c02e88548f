/**
 * Where main writes a file the member chose (issue 15: a compromised renderer
 * must not pick where files land). The desktop shell chooses with its own
 * dialogs: `dialog:pick` hands the renderer an opaque token, and a write
 * channel takes that token back, never a path. The browser host has no
 * dialog: there the member types a path, which main checks before writing.
 */
import { z } from 'zod';

/** What a native dialog is opened for. */
export const PICK_PURPOSES = ['open-vault', 'new-vault', 'catalog', 'export', 'report', 'sheets-folder', 'kit', 'binder'] as const;
export type PickPurpose = (typeof PICK_PURPOSES)[number];

/** The purposes whose choice decides where Lifeboat writes: only these are given a token. */
export const WRITE_PURPOSES = ['new-vault', 'export', 'report', 'sheets-folder', 'kit', 'binder'] as const satisfies readonly PickPurpose[];
export type WritePurpose = (typeof WRITE_PURPOSES)[number];

export function isWritePurpose(purpose: PickPurpose): purpose is WritePurpose {
  return (WRITE_PURPOSES as readonly string[]).includes(purpose);
}

/**
 * A write channel's destination: the token of a choice made in main's dialog
 * (desktop shell), or a typed path (browser host). Each host refuses the other.
 */
export const DestinationSchema = z.union([z.object({ token: z.string().min(1).max(200) }).strict(), z.object({ path: z.string().min(1).max(4096) }).strict()]);
export type Destination = z.output<typeof DestinationSchema>;
