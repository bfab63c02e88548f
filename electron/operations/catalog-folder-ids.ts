/**
 * Issue 17: the catalog id the window was given for an unsigned folder whose
 * name is too generic (`docs`, `runbooks`…), remembered per folder so it is
 * asked once. Kept in the app's own state folder (VaultService.stateDir:
 * Electron's userData, else LIFEBOAT_STATE_DIR or the platform's state
 * folder), never in a vault folder: folder path and id only, nothing from a
 * vault. A file that does not parse is ignored (the window asks again).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const FILE = 'catalog-folder-ids.json';
const Schema = z.record(z.string(), z.string());

export async function rememberedCatalogIds(stateDir: string): Promise<Record<string, string>> {
  try {
    const parsed = Schema.safeParse(JSON.parse(await readFile(join(stateDir, FILE), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function rememberedCatalogId(stateDir: string, folder: string): Promise<string | undefined> {
  return (await rememberedCatalogIds(stateDir))[folder];
}

/** Written whole to a temporary file then renamed, readable by this user only. */
export async function rememberCatalogId(stateDir: string, folder: string, catalogId: string): Promise<void> {
  const ids = await rememberedCatalogIds(stateDir);
  if (ids[folder] === catalogId) {
    return;
  }
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const temporary = join(stateDir, `${FILE}.${process.pid}.tmp`);
  await writeFile(temporary, `${JSON.stringify({ ...ids, [folder]: catalogId }, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, join(stateDir, FILE));
}
