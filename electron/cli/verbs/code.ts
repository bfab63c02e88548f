/**
 * lifeboat code DIR --as NAME ID --reason TEXT [--second MEMBER] [--json]:
 * the current one-time code of a secret's (or procedure's) seed, logged
 * first as "code generated" like any reveal (issue 21; docs/security.md,
 * "One-time codes"). The laptop's clock is printed in UTC, with a warning
 * when it is older than what the vault has already seen.
 */
import { generateCode, type GeneratedCode } from '../../operations/one-time-codes.js';
import { COMMON_OPTIONS, printJson, requireOption, requirePositional, withSession } from '../cli-context.js';
import { secondMemberName, secondPersonFor, SECOND_PERSON_OPTIONS } from '../second-person.js';
import { defineVerb } from '../verb.js';

const USAGE = 'lifeboat code DIR --as NAME ID --reason TEXT [--field FIELD] [--second MEMBER [--second-passphrase-file F]] [--json]';

function shown(code: GeneratedCode): string {
  const lines =
    code.type === 'totp'
      ? [`${code.code}  (${code.secondsLeft ?? 0} s left; next ${code.next})`]
      : [`${code.code}  (HOTP counter ${code.counter ?? 0}; the next code will use ${(code.counter ?? 0) + 1})`];
  lines.push(`Laptop clock: ${code.clock.nowUtc}`);
  if (code.clock.warning) {
    lines.push(`Warning: ${code.clock.warning}`);
  }
  return `${lines.join('\n')}\n`;
}

export const codeVerb = defineVerb({
  name: 'code',
  group: 'vault',
  summary: 'print the current one-time code (TOTP/HOTP) of a stored seed, with a reason, logged first',
  usage: [
    {
      line: 'code DIR --as NAME ID --reason TEXT [--second MEMBER] [--json]',
      note: [
        'logged as "code generated" (never the seed) before it prints; then the',
        'code, seconds left and the next code. An HOTP code uses the next counter,',
        'saved first. --json: {"code":"012345","secondsLeft":17,"next":"654321"}',
      ],
    },
  ],
  options: {
    ...COMMON_OPTIONS,
    reason: { type: 'string', value: 'TEXT', help: 'why: written to the audit log before the code is made' },
    field: { type: 'string', value: 'FIELD', help: 'the one-time-code field (default totp)' },
    ...SECOND_PERSON_OPTIONS,
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', USAGE);
    const id = requirePositional(positionals, 1, 'the record id', USAGE);
    const reason = requireOption(values.reason, 'reason', USAGE);
    const secondName = secondMemberName(values, USAGE);
    const code = await withSession(ctx, dir, values, USAGE, async (session) => {
      const second = await secondPersonFor(ctx, values, secondName);
      return generateCode(session, { id, reason, ...(values.field === undefined ? {} : { field: values.field }), ...(second ? { second } : {}) });
    });
    if (values.json) {
      printJson(ctx, {
        code: code.code,
        secondsLeft: code.secondsLeft,
        next: code.next,
        type: code.type,
        ...(code.counter === null ? {} : { counter: code.counter }),
        clock: code.clock.nowUtc,
        ...(code.clock.warning ? { clockWarning: code.clock.warning } : {}),
      });
    } else {
      ctx.io.out(shown(code));
    }
    return 0;
  },
});
