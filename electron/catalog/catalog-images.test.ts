/**
 * Images of a catalog's pages (issue 17, "Images"): which are carried, which
 * are warned about, and what a pack puts in the signed catalog. The fixture
 * (test/fixtures/runbooks-with-images) has a PNG, a JPEG, a GIF, a WebP and an
 * SVG, shown by relative and site-absolute paths, one missing image and one
 * remote one.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogArchive, writeCatalogArchive } from './catalog-archive.js';
import { parseCatalogContent } from './catalog-content.js';
import { readCatalogFolder } from './catalog-folder.js';
import { catalogImages, IMAGE_LIMITS, imageReferences } from './catalog-images.js';
import { MANIFEST_PATH, packCatalog, verifyCatalog } from './catalog-manifest.js';
import { generatePublisherKey, writePublisherKey, type PublisherKey } from './publisher-key.js';

const FOLDER = join(process.cwd(), 'test/fixtures/runbooks-with-images');
const CARRIED = ['img/badge.webp', 'img/diagram.png', 'img/failover.svg', 'img/icon.gif', 'img/photo.jpg'];

let work: string;
let key: PublisherKey;
let keyPath: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lifeboat-images-'));
  key = await generatePublisherKey('Platform');
  keyPath = join(work, 'platform.key');
  await writePublisherKey(keyPath, key);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function copyOfFixture(): Promise<string> {
  const dir = await mkdtemp(join(work, 'catalog-'));
  await cp(FOLDER, dir, { recursive: true });
  return dir;
}

async function contentOf(dir: string) {
  const folder = await readCatalogFolder(dir);
  return parseCatalogContent(new Map(folder.files.map((f) => [f.path, f.bytes])), folder.others, folder.oversized);
}

describe('which images a catalog carries', () => {
  it('carries every image a page shows, by relative or site-absolute path, with its type and hash', async () => {
    const { images, problems } = await contentOf(FOLDER);
    expect(problems).toEqual([]);
    expect(images.map((i) => i.path)).toEqual(CARRIED);
    const png = images.find((i) => i.path === 'img/diagram.png');
    expect(png?.mime).toBe('image/png');
    expect(png?.bytes).toEqual(new Uint8Array(readFileSync(join(FOLDER, 'img/diagram.png'))));
    expect(png?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(images.find((i) => i.path === 'img/failover.svg')?.mime).toBe('image/svg+xml');
    expect(images.find((i) => i.path === 'img/photo.jpg')?.mime).toBe('image/jpeg');
  });

  it('warns about a missing image with the page and its line, and never about a remote one', async () => {
    const { warnings } = await contentOf(FOLDER);
    const about = warnings.filter((w) => w.message.includes('image'));
    expect(about).toEqual([
      { file: 'database/restore.md', line: 13, message: expect.stringContaining('img/grafana.png, which is not in the catalog') as string },
    ]);
  });

  it('lists an image no page shows as skipped, and does not carry it', async () => {
    const dir = await copyOfFixture();
    await cp(join(dir, 'img/diagram.png'), join(dir, 'img/unused.png'));
    const { images, skipped } = await contentOf(dir);
    expect(images.map((i) => i.path)).not.toContain('img/unused.png');
    expect(skipped).toContainEqual({ file: 'img/unused.png', reason: 'an image no page shows (not carried)' });
  });

  it('leaves out an image over the size limit with a warning naming it and its size, without reading it', async () => {
    const dir = await copyOfFixture();
    const big = new Uint8Array(IMAGE_LIMITS.fileBytes + 1);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await writeFile(join(dir, 'img/diagram.png'), big);
    const folder = await readCatalogFolder(dir);
    expect(folder.oversized).toEqual([{ path: 'img/diagram.png', size: IMAGE_LIMITS.fileBytes + 1 }]);
    expect(folder.files.map((f) => f.path)).not.toContain('img/diagram.png');
    const { images, warnings } = await contentOf(dir);
    expect(images.map((i) => i.path)).not.toContain('img/diagram.png');
    expect(warnings).toContainEqual({ file: 'img/diagram.png', message: 'img/diagram.png is 2.0 MiB, over the 2 MiB limit for an image: left out.' });
    // Not "missing": the page names a file that is there, only too large.
    expect(warnings.filter((w) => w.message.includes('diagram.png, which is not in the catalog'))).toEqual([]);
  });

  it('leaves out a file whose bytes are not the image its name says (an HTML page named .png)', async () => {
    const dir = await copyOfFixture();
    await writeFile(join(dir, 'img/diagram.png'), '<html><script>alert(1)</script></html>');
    await writeFile(join(dir, 'img/failover.svg'), 'not an svg at all');
    const { images, warnings } = await contentOf(dir);
    expect(images.map((i) => i.path)).toEqual(['img/badge.webp', 'img/icon.gif', 'img/photo.jpg']);
    expect(warnings).toContainEqual({ file: 'img/diagram.png', message: 'img/diagram.png is not a PNG image, as its name says: left out.' });
    expect(warnings).toContainEqual({ file: 'img/failover.svg', message: 'img/failover.svg is not an SVG image, as its name says: left out.' });
  });

  it('carries only images that a page shown as Markdown shows: a contact page naming an image does not carry it', async () => {
    const dir = await copyOfFixture();
    await writeFile(join(dir, 'database/failover.md'), '# Failover the replica\n\n1. Promote the replica.\n');
    const { images, skipped } = await contentOf(dir);
    expect(images.map((i) => i.path)).toEqual(['img/diagram.png', 'img/failover.svg']);
    expect(skipped).toContainEqual({ file: 'img/photo.jpg', reason: 'an image no page shows (not carried)' });
  });

  it('stops carrying images at the total limit, in path order, and says which were left out', () => {
    const files = new Map<string, Uint8Array>([
      ['a.md', new TextEncoder().encode('![a](a.gif) ![b](b.gif) ![c](c.gif)')],
      ['a.gif', new TextEncoder().encode(`GIF89a${'x'.repeat(94)}`)],
      ['b.gif', new TextEncoder().encode(`GIF89a${'x'.repeat(94)}`)],
      ['c.gif', new TextEncoder().encode(`GIF89a${'x'.repeat(94)}`)],
    ]);
    const pages = [{ file: 'a.md', references: imageReferences('![a](a.gif) ![b](b.gif) ![c](c.gif)') }];
    const { images, warnings } = catalogImages(pages, files, [], { fileBytes: 1000, totalBytes: 250 });
    expect(images.map((i) => i.path)).toEqual(['a.gif', 'b.gif']);
    expect(warnings).toEqual([{ file: 'c.gif', message: "c.gif would bring the catalog's images over 250 bytes, the limit for one catalog: left out." }]);
  });

  it('finds images with the lines they are on, in lists, and not in code', () => {
    const body = ['# T', '', 'Intro', 'text ![x](one.png)', '', '1. step', '   ![y](two.png)', '', '```', '![z](code.png)', '```'].join('\n');
    expect(imageReferences(body, 5)).toEqual([
      { src: 'one.png', line: 8 },
      { src: 'two.png', line: 11 },
    ]);
  });

  it('finds an image by a reference defined further down, in a table cell and inside a link, as the window reads them', () => {
    const body = [
      'See ![map][net] and [![logo](logo.png)](https://example.org)',
      '',
      '| a | b |',
      '|---|---|',
      '| ![t](t.png) | 2 |',
      '',
      '[net]: img/net.png',
    ].join('\n');
    // (A table cell's line is not known to markdown-it 14: such an image is placed on the page's first line.)
    expect(imageReferences(body).map((image) => image.src)).toEqual(['img/net.png', 'logo.png', 't.png']);
    expect(imageReferences(body).slice(0, 2)).toEqual([
      { src: 'img/net.png', line: 1 },
      { src: 'logo.png', line: 1 },
    ]);
  });
});

describe('images in a signed catalog', () => {
  it('packs the images pages show and nothing else, each listed with its hash in the signed manifest', async () => {
    const dir = await copyOfFixture();
    await cp(join(dir, 'img/diagram.png'), join(dir, 'img/unused.png'));
    const packed = await packCatalog({ srcDir: dir, keyPath, catalogVersion: 1, catalogId: 'db' });
    const inside = [...readCatalogArchive(packed.bytes).keys()];
    expect(inside.filter((p) => p.startsWith('img/')).sort()).toEqual(CARRIED);
    expect(packed.manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(CARRIED));
    expect(packed.skipped).toContainEqual({ file: 'img/unused.png', reason: 'an image no page shows (not carried)' });
    const verified = await verifyCatalog(packed.bytes, { trustedKey: key.publicKey });
    expect(verified.files.get('img/diagram.png')).toEqual(new Uint8Array(readFileSync(join(FOLDER, 'img/diagram.png'))));
  });

  it('refuses a signed catalog whose image was swapped after signing (attack)', async () => {
    const packed = await packCatalog({ srcDir: FOLDER, keyPath, catalogVersion: 1, catalogId: 'db' });
    const files = readCatalogArchive(packed.bytes);
    files.set('img/diagram.png', new Uint8Array(readFileSync(join(FOLDER, 'img/icon.gif'))).slice());
    const swapped = writeCatalogArchive([...files].map(([path, bytes]) => ({ path, bytes })));
    await expect(verifyCatalog(swapped, { trustedKey: key.publicKey })).rejects.toMatchObject({
      message: expect.stringContaining('img/diagram.png') as string,
    });
    expect(files.has(MANIFEST_PATH)).toBe(true);
  });
});
