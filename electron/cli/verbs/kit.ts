/**
 * lifeboat kit DIR --as NAME --out KIT.pdf | --fingerprint: the emergency
 * kit, one printed page for the recovery laptop's sleeve, or the vault's
 * fingerprint only.
 */
import { resolve } from 'node:path';
import { LifeboatError } from '../../../shared/errors.js';
import { exportEmergencyKit } from '../../operations/quorum.js';
import { COMMON_OPTIONS, printJson, requirePositional, withSession } from '../cli-context.js';
import { pdfPrinter } from '../pdf-output.js';
import { defineVerb } from '../verb.js';

const KIT_USAGE = 'lifeboat kit DIR --as NAME --out KIT.pdf [--json] | lifeboat kit DIR --as NAME --fingerprint [--json]';

export const kitVerb = defineVerb({
  name: 'kit',
  group: 'quorum',
  summary: 'the emergency kit: one page with no secret for the recovery laptop (vault id, fingerprint, who can open it, whom to call)',
  usage: [
    { line: 'kit DIR --as NAME --out KIT.pdf [--json]', note: 'the emergency kit: vault id, fingerprint, who can open it, whom to call' },
    { line: 'kit DIR --as NAME --fingerprint', note: "the vault's fingerprint only (16 groups of 4 hex digits)" },
  ],
  options: {
    ...COMMON_OPTIONS,
    out: { type: 'string', value: 'KIT.pdf', help: 'write the kit as a PDF (needs Chromium)' },
    fingerprint: { type: 'boolean', help: "print the vault's fingerprint only" },
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', KIT_USAGE);
    const out = values.out;
    if ((out === undefined) === !values.fingerprint) {
      throw new LifeboatError('CLI_USAGE', `Choose one: --out KIT.pdf prints the kit, --fingerprint prints the vault's fingerprint. Usage: ${KIT_USAGE}`);
    }
    if (out === undefined) {
      // From the header as authenticated by the unlock: what the app shows in Members & settings.
      const result = await withSession(ctx, dir, values, KIT_USAGE, (session) =>
        Promise.resolve({ vaultId: session.vaultId, fingerprint: session.fingerprint }),
      );
      if (values.json) {
        printJson(ctx, result);
      } else {
        ctx.io.out(`${result.fingerprint}\n`);
      }
      return 0;
    }
    if (out.trim() === '') {
      throw new LifeboatError('CLI_USAGE', `--out needs a file name. Usage: ${KIT_USAGE}`);
    }
    const printer = await pdfPrinter(ctx.env);
    // Opened by its absolute path, so the printed page says where the vault is, not where the shell was.
    const result = await withSession(ctx, resolve(dir), values, KIT_USAGE, (session) => exportEmergencyKit(session, out, printer));
    if (values.json) {
      printJson(ctx, { out: result.path, bytes: result.bytes, fingerprint: result.fingerprint });
    } else {
      ctx.io.out(
        `Wrote the emergency kit (${result.bytes} bytes) to ${result.path}. It holds no secret: print it and keep it with the recovery laptop.\n` +
          `Vault fingerprint: ${result.fingerprint}\n`,
      );
    }
    return 0;
  },
});
