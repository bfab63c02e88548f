/**
 * lifeboat trust add | list: the publishers whose signed catalogs this vault syncs.
 */
import { LifeboatError } from '../../../shared/errors.js';
import { parsePublicKey, trustedPublishers, trustPublisherKey } from '../../operations/catalog.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { defineCommand, defineVerb, parseCommandArgs, type OptionTable } from '../verb.js';

const LINES = {
  add: 'trust add DIR --as OWNER --publisher PUBLIC_KEY --name NAME',
  list: 'trust list DIR --as NAME [--json]',
};
const USAGE = `lifeboat ${LINES.add} | lifeboat ${LINES.list}`;

/** One table for both sub-verbs. */
const OPTIONS = {
  ...COMMON_OPTIONS,
  publisher: { type: 'string', value: 'PUBLIC_KEY', help: "add: the publisher's public key (lbpub1:…, from catalog keygen)" },
  name: { type: 'string', value: 'NAME', help: "add: the publisher's name, as the vault will show it" },
} as const satisfies OptionTable;

const trustAdd = defineCommand({
  usage: [LINES.add],
  options: OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const publicKey = requireOption(values.publisher, 'publisher', USAGE);
    // Checked before the passphrase is asked: a mistyped key changes nothing and asks nothing.
    parsePublicKey(publicKey);
    const name = requireOption(values.name, 'name', USAGE);
    const entry = await withSession(ctx, dir, values, USAGE, (session) => trustPublisherKey(session, { publicKey, name }));
    ctx.io.out(values.json ? `${JSON.stringify(entry)}\n` : `Trusting ${entry.name} (key ${entry.keyId}) for catalog sync.\n`);
    return 0;
  },
});

const trustList = defineCommand({
  usage: [LINES.list],
  options: OPTIONS,
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const publishers = await withSession(ctx, dir, values, USAGE, (session) => Promise.resolve(trustedPublishers(session)));
    if (values.json) {
      printJson(ctx, publishers);
    } else {
      ctx.io.out(
        publishers.length === 0
          ? 'No trusted publishers yet.\n'
          : publishers.map((p) => `${p.name}\t${p.keyId}\tadded ${p.addedAt} by ${p.addedBy}`).join('\n') + '\n',
      );
    }
    return 0;
  },
});

export const trustVerb = defineVerb({
  name: 'trust',
  group: 'catalogs',
  summary: 'the publishers whose signed catalogs this vault syncs: trust one (owners only), or list them',
  subcommands: { add: trustAdd, list: trustList },
  unknownSubcommand(_given, rest) {
    // As each sub-verb would: its options checked, then the folder, then which verb.
    const { positionals } = parseCommandArgs({ options: OPTIONS }, rest);
    requirePositional(positionals, 0, 'the vault folder', USAGE);
    throw new LifeboatError('CLI_USAGE', `Usage: ${USAGE}`);
  },
});
