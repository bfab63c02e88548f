/**
 * Which publisher a catalog id belongs to, and how far its version may move
 * (issue 15, M3; docs/catalog-format.md, "Publisher pinning"). Trusting a
 * publisher lets it publish its own catalogs, not rewrite another's: the
 * first signed sync of an id pins the id to the key that signed it, and a
 * catalog of that id signed by any other trusted key is refused until an
 * owner re-pins it (logged). A version far above the last applied one is
 * refused too, so a publisher cannot squat an id's version space
 * (2^53 − 1) and lock its rightful publisher out.
 */
import { z } from 'zod';
import { LifeboatError } from '../../shared/errors.js';
import type { CatalogRef } from '../../shared/records.js';
import type { VaultSession } from '../vault/vault-session.js';

const PINS_KEY = 'catalogPublisherPins';

/** The largest step up from the last applied version (from 0 on a first sync): room for dates and Unix seconds as versions. */
export const MAX_VERSION_JUMP = 2 ** 32;

const PinSchema = z.object({ keyId: z.string(), publisher: z.string(), pinnedAt: z.string(), pinnedBy: z.string() });
export type CatalogPin = z.output<typeof PinSchema>;

export function catalogPins(session: VaultSession): Record<string, CatalogPin> {
  const raw = session.store().getMeta(PINS_KEY);
  return raw === undefined ? {} : z.record(z.string(), PinSchema).parse(JSON.parse(raw));
}

export type PinDecision = 'first' | 'same' | 'repin';

/**
 * Refuses a signed catalog whose id is pinned to another key, unless an
 * owner asked to re-pin. Returns what applying it will do to the pin.
 */
export function checkPublisherPin(
  session: VaultSession,
  catalog: { catalogId: string; keyId: string; publisher: string },
  repin: boolean,
): { decision: PinDecision; previous?: CatalogPin } {
  const pin = catalogPins(session)[catalog.catalogId];
  if (!pin) {
    return { decision: 'first' };
  }
  if (pin.keyId === catalog.keyId) {
    return { decision: 'same', previous: pin };
  }
  if (!repin) {
    throw new LifeboatError(
      'CATALOG_PUBLISHER_CHANGED',
      `Catalog ${catalog.catalogId} belongs to publisher "${pin.publisher}" (key ${pin.keyId}, pinned ${pin.pinnedAt.slice(0, 10)} by ${pin.pinnedBy}), but this copy is signed by "${catalog.publisher}" (key ${catalog.keyId}). One trusted publisher cannot take over another's catalog. If the catalog really moved to this key, an owner can re-pin it with --repin (logged).`,
    );
  }
  session.require('members.manage');
  return { decision: 'repin', previous: pin };
}

/** Written inside the sync's transaction, never alone. */
export function pinPublisher(session: VaultSession, catalogId: string, keyId: string, publisher: string): void {
  const pin: CatalogPin = { keyId, publisher, pinnedAt: new Date().toISOString(), pinnedBy: session.member.name };
  session.store().setMeta(PINS_KEY, JSON.stringify({ ...catalogPins(session), [catalogId]: pin }));
}

/**
 * Refuses a version more than MAX_VERSION_JUMP above the last applied one,
 * unless an owner deliberately allows it (logged by the caller).
 */
export function checkVersionJump(session: VaultSession, catalogId: string, version: number, previous: number | null, allow: boolean): boolean {
  const from = previous ?? 0;
  if (version - from <= MAX_VERSION_JUMP) {
    return false;
  }
  if (!allow) {
    throw new LifeboatError(
      'CATALOG_VERSION_JUMP',
      `Catalog ${catalogId} version ${version} jumps ${previous === null ? 'from nothing' : `from version ${previous}`} by more than ${MAX_VERSION_JUMP}: a version that high would block every later version of this catalog. Ask the publisher to number versions in small steps; an owner can accept it deliberately with --allow-version-jump (logged).`,
    );
  }
  session.require('members.manage');
  return true;
}

/**
 * Issue 17: an unsigned folder must never replace, archive or downgrade the
 * records of a signed catalog, so it may not use an id a signed catalog has
 * used (pinned, versioned, or owning records).
 */
export function refuseUnsignedOverSigned(session: VaultSession, catalogId: string, appliedVersion: number | undefined): void {
  const pin = catalogPins(session)[catalogId];
  const signedRecords = session
    .store()
    .all()
    .some((r) => {
      const ref = r.data['catalogRef'] as CatalogRef | undefined;
      return ref?.catalogId === catalogId && ref.unsigned !== true;
    });
  if (pin || appliedVersion !== undefined || signedRecords) {
    throw new LifeboatError(
      'CATALOG_UNTRUSTED',
      `Catalog id ${catalogId} belongs to a signed catalog${pin ? ` from "${pin.publisher}"` : ''}: an unsigned folder cannot replace, archive or downgrade its records. Sync the folder under another id (--id ${catalogId}-drafts). Nothing was changed.`,
    );
  }
}
