/**
 * The images of an opened record (issue 17, "Images"; docs/catalog-format.md):
 * each `![alt](src)` of its Markdown resolved, as a sync resolved it, against
 * the images the vault holds for the record's catalog id, and handed over
 * with the record, bytes included, for the window to show from memory. The
 * open that returns them is the one the engine logged: images are record
 * content, read under the same account. A record made in the vault has no
 * catalog, so every image path of it is missing.
 */
import { resolveImage, imageReferences } from '../catalog/catalog-images.js';
import type { RecordImage } from '../../shared/markdown-links.js';
import type { RecordView } from '../../shared/records.js';
import type { VaultSession } from '../vault/vault-session.js';
import { catalogRefOf, markdownOf } from './record-links.js';

export function recordImages(session: VaultSession, record: RecordView): RecordImage[] {
  const sources = new Set(markdownOf(record).flatMap((markdown) => imageReferences(markdown).map((ref) => ref.src)));
  if (sources.size === 0) {
    return [];
  }
  const ref = catalogRefOf(record);
  const store = session.store();
  const held = ref ? store.catalogImageHashes(ref.catalogId) : new Map<string, string>();
  return [...sources].map((src): RecordImage => {
    const resolved = resolveImage(src, ref?.file, (path) => held.has(path));
    if (resolved.kind !== 'file') {
      return resolved.kind === 'external' ? { src, kind: 'external' } : { src, kind: 'missing', path: resolved.path };
    }
    const image = ref ? store.catalogImage(ref.catalogId, resolved.path) : undefined;
    if (!image) {
      return { src, kind: 'missing', path: resolved.path };
    }
    return { src, kind: 'image', path: image.path, mime: image.mime, size: image.bytes.length, base64: Buffer.from(image.bytes).toString('base64') };
  });
}
