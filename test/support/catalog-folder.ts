/**
 * Catalog folders for the sync tests: Markdown runbooks written to disk as
 * an owner's folder or a publisher's source would hold them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A runbook page: its title as the H1, then one numbered step. */
export const runbookPage = (title: string, step = 'Do the thing'): string => `# ${title}\n\n1. ${step}\n`;

/** Four runbooks in three folders. */
export const FOUR_RUNBOOKS = {
  'db/restore.md': runbookPage('Restore the database'),
  'db/check.md': runbookPage('Check replication'),
  'dns/failover.md': runbookPage('Fail over DNS'),
  'net/vpn.md': runbookPage('Restart the VPN'),
} as const;

/** Writes `files` (path inside the folder → text) into `parent/name`, folders made as needed; returns the folder. */
export async function writeCatalogFolder(parent: string, name: string, files: Readonly<Record<string, string>>): Promise<string> {
  const dir = join(parent, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}
