/**
 * lifeboat unlock-quorum DIR --share-file F... --reason TEXT: the vault
 * opened by its custodians' shares, as the recovery quorum.
 */
import { RECORD_TYPES } from '../../../shared/records.js';
import { openVaultByQuorum } from '../../operations/quorum.js';
import { listRecords } from '../../operations/records.js';
import type { VaultSession } from '../../operations/vault-access.js';
import { COMMON_OPTIONS, INSECURE_KDF_WARNING, printJson, printSessionNotes, requireOption, requirePositional } from '../cli-context.js';
import { names } from '../output-format.js';
import { SHARE_FILE_OPTION, checkShareFiles, shareFiles } from '../share-files.js';
import { defineVerb } from '../verb.js';

const LINE = 'unlock-quorum DIR --share-file F --share-file F... --reason TEXT [--json]';
const UNLOCK_USAGE = `lifeboat ${LINE}`;

interface QuorumSummary {
  vaultId: string;
  vaultName: string;
  member: string;
  role: string;
  custodians: string[];
  setId: string;
  reason: string;
  records: { total: number; byType: Record<string, number> };
}

function quorumSummary(session: VaultSession, custodians: string[], reason: string): QuorumSummary {
  const records = listRecords(session);
  const byType: Record<string, number> = {};
  for (const type of RECORD_TYPES) {
    const count = records.filter((r) => r.type === type).length;
    if (count > 0) {
      byType[type] = count;
    }
  }
  return {
    vaultId: session.vaultId,
    vaultName: session.header.name,
    member: session.member.name,
    role: session.member.role,
    custodians,
    setId: session.header.recovery?.setId ?? '',
    reason: reason.trim(),
    records: { total: records.length, byType },
  };
}

/**
 * Opens the vault by quorum, says who opened it and what is in it, and locks
 * it again: proof, for a script or a person, that the sheets in hand open
 * this vault for real (the unlock is logged with the custodians and reason).
 */
export const unlockQuorumVerb = defineVerb({
  name: 'unlock-quorum',
  group: 'quorum',
  summary: "open the vault with the custodians' shares when no owner can: says who opened it and what is in it, then locks",
  usage: [
    {
      line: LINE,
      note: ['opens the vault as "recovery quorum" (owner), prints who and what, locks;', "F is a sheet's .txt file or a file holding only the share"],
    },
  ],
  options: {
    'share-file': SHARE_FILE_OPTION,
    reason: { type: 'string', value: 'TEXT', help: 'why: logged with the custodians who opened it' },
    json: COMMON_OPTIONS.json,
  },
  async run(ctx, { values, positionals }) {
    const dir = requirePositional(positionals, 0, 'the vault folder', UNLOCK_USAGE);
    const files = shareFiles(values['share-file'], UNLOCK_USAGE);
    const reason = requireOption(values.reason, 'reason', UNLOCK_USAGE);
    const { texts, custodians } = await checkShareFiles(dir, files);
    const session = await openVaultByQuorum(dir, { shares: texts, reason });
    let summary: QuorumSummary;
    try {
      if (session.insecureFastKdf) {
        ctx.io.err(INSECURE_KDF_WARNING);
      }
      printSessionNotes(ctx, session);
      summary = quorumSummary(session, custodians, reason);
    } finally {
      await session.lock();
    }
    if (values.json) {
      printJson(ctx, summary);
      return 0;
    }
    const counts = Object.entries(summary.records.byType).map(([type, n]) => `${String(n)} ${type}${n === 1 ? '' : 's'}`);
    ctx.io.out(
      [
        `Opened vault "${summary.vaultName}" (${summary.vaultId}) as the ${summary.member} (${summary.role}): ${names(custodians)}.`,
        `Records: ${summary.records.total}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}.`,
        `Logged with the custodians and the reason "${summary.reason}". The vault is locked again.`,
      ].join('\n') + '\n',
    );
    return 0;
  },
});
