/**
 * What the window remembers between launches (issue 19, "keyboard-first"):
 * the last vault folder and member opened, and the recent folders. Paths and
 * names only, never anything read from a vault. Both hosts keep it in this
 * laptop's state folder (the Electron shell's userData, else
 * LIFEBOAT_STATE_DIR or the platform's state folder), outside every vault
 * folder, so someone who can write to a vault folder cannot plant a path here.
 *
 * It is a convenience: a file that is missing, unreadable or not in the
 * expected shape is treated as empty (the person types the folder again),
 * and a failure to save never fails the unlock that asked for it.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { RememberedVault } from '../../shared/vault-contract.js';
import { writeFileAtomic } from '../vault/storage/atomic-file.js';

export const REMEMBERED_FILE = 'window.json';
export const RECENT_LIMIT = 5;
/** Longer than any real path or member name: a bigger value is not ours. */
const MAX_TEXT = 4096;

const text = z.string().min(1).max(MAX_TEXT);
const FileSchema = z.object({
  version: z.literal(1),
  lastVault: z.object({ dir: text, member: text }).nullable(),
  recent: z.array(text).max(50),
});
type RememberedFile = z.output<typeof FileSchema>;

const EMPTY: RememberedFile = { version: 1, lastVault: null, recent: [] };

async function readFileState(stateDir: string): Promise<RememberedFile> {
  try {
    const parsed = FileSchema.safeParse(JSON.parse(await readFile(join(stateDir, REMEMBERED_FILE), 'utf8')));
    return parsed.success ? parsed.data : EMPTY;
  } catch {
    return EMPTY;
  }
}

/** The last folder and member, and the recent folders (newest first). */
export async function rememberedVault(stateDir: string): Promise<RememberedVault> {
  const state = await readFileState(stateDir);
  return { dir: state.lastVault?.dir ?? null, member: state.lastVault?.member ?? null, recent: state.recent.slice(0, RECENT_LIMIT) };
}

/** Notes a vault opened by a member (after a successful unlock or create); never throws. */
export async function rememberOpened(stateDir: string, dir: string, member: string): Promise<void> {
  try {
    const state = await readFileState(stateDir);
    const next: RememberedFile = { version: 1, lastVault: { dir, member }, recent: [dir, ...state.recent.filter((p) => p !== dir)].slice(0, RECENT_LIMIT) };
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(stateDir, REMEMBERED_FILE), `${JSON.stringify(next, null, 2)}\n`);
  } catch {
    // A convenience only: the unlock stands whether or not this laptop could note it.
  }
}
