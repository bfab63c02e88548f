/**
 * Conflicts settled "keep the local edit" stay settled (issue 19, item 10):
 * the decision is remembered against the content hash of the catalog's
 * entry that was refused, so a later sync of the same (unchanged) catalog
 * entry does not ask again; a catalog that changes that record again brings
 * the conflict back, because its hash differs.
 *
 * Kept in the encrypted database's meta table, next to the applied versions
 * (catalog-trust.ts), and written only inside a sync's transaction: a
 * sync that rolls back forgets its decisions too. A value in the wrong shape
 * (never written by this code) counts as no decision: the conflict is asked
 * again, which is the safe side.
 */
import { z } from 'zod';
import type { VaultSession } from '../vault/vault-session.js';

const KEPT_LOCAL_KEY = 'keptLocalConflicts';

/** Record id → the catalog entry hash whose change the owner of the local edit refused. */
const KeptLocalSchema = z.record(z.string(), z.object({ entryHash: z.string(), catalogVersion: z.number().int(), at: z.string(), by: z.string() }));
export type KeptLocal = z.output<typeof KeptLocalSchema>;

export function keptLocalDecisions(session: VaultSession): KeptLocal {
  const raw = session.store().getMeta(KEPT_LOCAL_KEY);
  if (raw === undefined) {
    return {};
  }
  try {
    const parsed = KeptLocalSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Inside the sync's transaction: remembers `kept` (record id → refused hash), forgets `settled` (records the catalog rewrote or archived). */
export function rememberKeptLocal(
  session: VaultSession,
  input: { kept: ReadonlyMap<string, string>; settled: readonly string[]; catalogVersion: number },
): void {
  const decisions = keptLocalDecisions(session);
  for (const id of input.settled) {
    Reflect.deleteProperty(decisions, id);
  }
  const at = new Date().toISOString();
  for (const [id, entryHash] of input.kept) {
    decisions[id] = { entryHash, catalogVersion: input.catalogVersion, at, by: session.member.name };
  }
  session.store().setMeta(KEPT_LOCAL_KEY, JSON.stringify(decisions));
}
