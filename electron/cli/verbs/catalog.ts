/**
 * Publisher side: lifeboat catalog keygen | pack | verify
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import {
  folderCatalogId,
  formatPublicKey,
  generatePublisherKey,
  packCatalog,
  parsePublicKey,
  readCatalogFile,
  verifyCatalog,
  writePublisherKey,
} from '../../operations/catalog.js';
import { printJson, requireOption, requirePositional } from '../cli-context.js';
import { defineCommand, defineVerb, parseCommandArgs, type OptionTable } from '../verb.js';
import { skippedAndWarnings } from './sync.js';

const LINES = {
  keygen: 'catalog keygen --out publisher.key [--name NAME]',
  pack: 'catalog pack SRC_DIR --key publisher.key --version N --out FILE.lbcat [--id CATALOG_ID]',
  verify: 'catalog verify FILE.lbcat [--publisher PUBLIC_KEY] [--json]',
};
const USAGE = [LINES.keygen, LINES.pack, LINES.verify].map((line) => `lifeboat ${line}`).join('\n       ');

/** One table for the three sub-verbs: no vault, so no --as. */
const OPTIONS = {
  json: { type: 'boolean', help: 'print one JSON document (an error too, with its code)' },
  out: { type: 'string', value: 'FILE', help: 'keygen: where the secret key is written; pack: the catalog file' },
  name: { type: 'string', value: 'NAME', help: "keygen, pack: the publisher's name" },
  key: { type: 'string', value: 'FILE', help: "pack: the publisher's secret key file" },
  version: { type: 'string', value: 'N', help: "pack: the catalog's version, a whole number from 1" },
  id: {
    type: 'string',
    value: 'CATALOG_ID',
    help: "pack: the catalog's id (the source folder's name unless given; needed when that name is generic, such as docs)",
  },
  publisher: { type: 'string', value: 'PUBLIC_KEY', help: 'verify: also check the signature with this public key (lbpub1:…)' },
} as const satisfies OptionTable;

const catalogKeygen = defineCommand({
  usage: [{ line: LINES.keygen, note: 'prints the public key' }],
  options: OPTIONS,
  async run(ctx, { values }) {
    const out = requireOption(values.out, 'out', USAGE);
    const key = await generatePublisherKey(values.name);
    await writePublisherKey(out, key);
    ctx.io.out(
      values.json ? `${JSON.stringify({ publicKey: formatPublicKey(key.publicKey), keyId: key.keyId, out })}\n` : `${formatPublicKey(key.publicKey)}\n`,
    );
    if (!values.json) {
      ctx.io.err(`Wrote the secret key to ${out} (keep it in the publishing pipeline only). Key id ${key.keyId}.\n`);
    }
    return 0;
  },
});

const catalogPack = defineCommand({
  usage: [LINES.pack],
  options: OPTIONS,
  async run(ctx, { values, positionals }) {
    const src = requirePositional(positionals, 0, 'the source folder', USAGE);
    const version = Number(requireOption(values.version, 'version', USAGE));
    if (!Number.isSafeInteger(version) || version < 1) {
      throw new LifeboatError('CLI_USAGE', `--version ${values.version ?? ''}: expected a positive whole number.`);
    }
    const packed = await packCatalog({
      srcDir: src,
      keyPath: requireOption(values.key, 'key', USAGE),
      catalogVersion: version,
      // A generic folder name (docs, runbooks…) is no default id (issue 17).
      catalogId: folderCatalogId(src, values.id),
      ...(values.name ? { publisherName: values.name } : {}),
    });
    const out = requireOption(values.out, 'out', USAGE);
    await writeFile(out, packed.bytes);
    ctx.io.out(
      values.json
        ? `${JSON.stringify({ out, catalogId: packed.manifest.catalogId, version, files: packed.manifest.files.length, skipped: packed.skipped, warnings: packed.warnings })}\n`
        : `Packed ${packed.manifest.files.length} files as ${packed.manifest.catalogId} version ${version} into ${out}.\n`,
    );
    const notes = skippedAndWarnings(packed);
    if (!values.json && notes.length > 0) {
      // What every vault that syncs this catalog will say: the publisher's chance to fix it first.
      ctx.io.err(`A vault syncing this catalog will report:\n${notes.join('\n')}\n`);
    }
    return 0;
  },
});

const catalogVerify = defineCommand({
  usage: [LINES.verify],
  options: OPTIONS,
  async run(ctx, { values, positionals }) {
    const file = requirePositional(positionals, 0, 'the catalog file', USAGE);
    const trustedKey = values.publisher ? parsePublicKey(values.publisher) : undefined;
    const verified = await verifyCatalog(await readCatalogFile(file), { label: basename(file), ...(trustedKey ? { trustedKey } : {}) });
    if (verified.publicKeyMatches === false) {
      throw new LifeboatError('VAULT_TAMPERED', `${basename(file)}: the manifest names publisher key ${verified.manifest.publisher.keyId}, not the one given.`);
    }
    const summary = {
      catalogId: verified.manifest.catalogId,
      version: verified.manifest.catalogVersion,
      publisher: verified.manifest.publisher,
      files: verified.manifest.files.length,
      signature: verified.signature,
    };
    if (values.json) {
      printJson(ctx, summary);
    } else {
      ctx.io.out(
        `${summary.catalogId} version ${summary.version} by ${summary.publisher.name} (key ${summary.publisher.keyId}): ${summary.files} files, every hash matches; signature ${
          summary.signature === 'verified' ? 'verified with the given key' : 'NOT checked (pass --publisher PUBLIC_KEY)'
        }.\n`,
      );
    }
    return 0;
  },
});

export const catalogVerb = defineVerb({
  name: 'catalog',
  group: 'catalogs',
  summary: "the publisher's side: a signing key, a signed catalog packed from a docs folder, and checking one",
  subcommands: { keygen: catalogKeygen, pack: catalogPack, verify: catalogVerify },
  unknownSubcommand(_given, rest) {
    // As each sub-verb would: its options checked first.
    parseCommandArgs({ options: OPTIONS }, rest);
    throw new LifeboatError('CLI_USAGE', `Usage: ${USAGE}`);
  },
});
