/**
 * The CLI's logic, apart from process globals so tests can drive it. Output
 * is for people by default and a single JSON document with --json; the exit
 * code always comes from the error code (shared/errors.ts).
 */
import { parseArgs } from 'node:util';
import type { EngineStatus } from '../../shared/contract.js';
import { LifeboatError, exitCodeFor, toErrorShape } from '../../shared/errors.js';
import { runSelfTest, selfTestSteps, type SelfTestStep } from '../vault/self-test.js';
import type { CliContext, CliIo } from './cli-context.js';
import { auditCommand } from './commands/audit-commands.js';
import { catalogCommand, searchCommand, syncCommand, trustCommand } from './commands/catalog-commands.js';
import { doctorCommand } from './commands/doctor-command.js';
import { kitCommand, sharesCommand, unlockQuorumCommand } from './commands/quorum-commands.js';
import { addCommand, historyCommand, listCommand, revealCommand, showCommand } from './commands/record-commands.js';
import { planCommand, readinessCommand, sessionCommand } from './commands/recovery-commands.js';
import { initCommand, memberCommand, passwdCommand } from './commands/vault-commands.js';
import { terminalPrompt, type PromptIo } from './passphrase-input.js';

export type { CliIo } from './cli-context.js';

export interface CliDeps {
  version: string;
  selfTestSteps?: () => SelfTestStep[];
  env?: NodeJS.ProcessEnv;
  prompt?: PromptIo;
}

export const USAGE = `Usage: lifeboat <command> [options]

Vault (acting member: --as NAME; passphrase from LIFEBOAT_PASSPHRASE, --passphrase-file F, or a prompt):
  init DIR --as NAME                         create a vault; NAME becomes its owner
  member add DIR --as OWNER --name NAME --role commander|responder|auditor
  member remove DIR --as OWNER --name NAME   (rekeys the vault)
  member list DIR --as NAME [--json]
  passwd DIR --as NAME                       new passphrase from LIFEBOAT_NEW_PASSPHRASE or a prompt
  add DIR --as NAME --type TYPE --title TITLE [--file BODY.md] [--field KEY=VALUE]... [--json]
  list DIR --as NAME [--type TYPE] [--json]
  show DIR --as NAME ID [--json]             logged as "record opened" before it prints
  reveal DIR --as NAME ID FIELD --reason TEXT [--second MEMBER]
                                             logged as "secret revealed" before it prints; a two-person secret
                                             needs --second, with that member's passphrase from
                                             LIFEBOAT_SECOND_PASSPHRASE, --second-passphrase-file F, or a prompt
  history DIR --as NAME ID [--json]           every revision: who, when, which fields
  audit DIR --as NAME [--json]
  audit verify DIR --as NAME [--since CHECKPOINT_FILE]
  audit verify --export FILE                 an audit export or a signed evidence report; needs no key
  audit checkpoint DIR --as NAME
  audit export DIR --as NAME --out FILE
  doctor DIR [--as OWNER [--restore GENERATION --yes]]
  search DIR --as NAME QUERY [--type TYPE] [--service S] [--tag T] [--json]

Catalogs (signed exports from the source of truth):
  catalog keygen --out publisher.key [--name NAME]     prints the public key
  catalog pack SRC_DIR --key publisher.key --version N --out FILE.lbcat [--id CATALOG_ID]
  catalog verify FILE.lbcat [--publisher PUBLIC_KEY] [--json]
  trust add DIR --as OWNER --publisher PUBLIC_KEY --name NAME
  trust list DIR --as NAME [--json]
  sync DIR --as NAME FILE.lbcat [--dry-run] [--allow-downgrade] [--conflicts keep-local|take-catalog] [--json]
  sync DIR --as OWNER --unsigned FOLDER [--id CATALOG_ID]   (flagged on every record it creates)

Recovery (services, their dependsOn and their runbooks' steps, checks and estimates):
  plan DIR --as NAME [--services A,B] [--fail-on-breach] [--json]
                                             waves, critical path, RTOs not achievable on paper, missing
                                             dependencies; exits 0 even with breaches (1 with --fail-on-breach)
  readiness DIR --as NAME [--stale-days N] [--json]   services by risk, each finding with its severity
  session start DIR --as NAME --kind exercise|incident --scenario TEXT --services A,B
                                             freezes the plan into a checklist; prints the session id
  session list DIR --as NAME
  session show DIR --as NAME --id ID         the checklist: numbered steps and checks, who ticked what when
  session step DIR --as NAME --id ID --service S --step N [--undo]
  session check DIR --as NAME --id ID --service S --check N --pass | --fail --note TEXT
  session note DIR --as NAME --id ID [--service S] [--blocker|--unblocked] TEXT
  session end DIR --as NAME --id ID          the session is frozen from then on
  session report DIR --as NAME --id ID [--format markdown|pdf|json] [--out FILE]
                                             Markdown to the terminal without --out; the format follows
                                             FILE's extension unless given; json is signed
  session rotated DIR --as NAME --id ID --secret RECORD_ID_OR_TITLE
  (every session verb takes --json; steps and checks are numbered from 1 as \`session show\` lists them;
   start, end, report and rotated need an owner or commander, a responder may step, check and note)

Recovery shares and the emergency kit (for the day no owner can unlock):
  shares create DIR --as OWNER --threshold M --custodian NAME --custodian NAME... --out FOLDER [--json]
                                             M-of-N shares, one sheet per custodian (PDF + .txt) in FOLDER, which
                                             must exist; creating again rotates: the previous sheets stop working.
                                             The sheets are SECRET: any M of them open the whole vault
  shares status DIR --as NAME [--json]       set id, threshold, custodians, created when and by whom
  shares revoke DIR --as OWNER --yes         no sheet opens the vault any more; the vault is rekeyed
  shares practice DIR --share-file F --share-file F... [--json]
                                             a drill: proves the sheets open the vault, opens nothing; no passphrase
  unlock-quorum DIR --share-file F --share-file F... --reason TEXT [--json]
                                             opens the vault as "recovery quorum" (owner), prints who and what, locks;
                                             F is a sheet's .txt file or a file holding only the share
  kit DIR --as NAME --out KIT.pdf [--json]   the emergency kit: vault id, fingerprint, who can open it, whom to call
  kit DIR --as NAME --fingerprint            the vault's fingerprint only (16 groups of 4 hex digits)
  (a mistyped share is exit 2 naming the file and the group; shares that do not open this vault, too few,
   the same sheet twice or a rotated set, exit 3; a non-owner creating or revoking shares, exit 6)

Other:
  status [--json]   check that the engine's cryptography and database work here
  help              show this help
  version           print the version

Exit codes: 0 ok, 1 anything else, 2 bad usage or input, 3 wrong passphrase, unknown member or shares
that do not open this vault, 4 integrity failure, 5 vault busy, 6 not permitted for this role (or a two-person
secret without --second).
`;

function formatStatus(status: EngineStatus): string {
  const lines = status.components.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.label}: ${c.detail}`);
  lines.push(status.ready ? 'Engine ready.' : 'Engine NOT ready: see the failed checks above.');
  return `${lines.join('\n')}\n`;
}

async function statusCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } }, strict: true });
  const status = await runSelfTest((deps.selfTestSteps ?? selfTestSteps)(), (done, total, label) => {
    if (!values.json && done < total) {
      io.err(`[${done + 1}/${total}] ${label}…\n`);
    }
  });
  if (values.json) {
    io.out(`${JSON.stringify(status, null, 2)}\n`);
  } else {
    io.out(formatStatus(status));
  }
  return status.ready ? 0 : exitCodeFor('ENGINE_UNAVAILABLE');
}

const VAULT_COMMANDS: Record<string, (args: string[], ctx: CliContext) => Promise<number>> = {
  init: initCommand,
  member: memberCommand,
  passwd: passwdCommand,
  add: addCommand,
  list: listCommand,
  show: showCommand,
  reveal: revealCommand,
  history: historyCommand,
  audit: auditCommand,
  doctor: doctorCommand,
  catalog: catalogCommand,
  trust: trustCommand,
  sync: syncCommand,
  search: searchCommand,
  plan: planCommand,
  readiness: readinessCommand,
  session: sessionCommand,
  shares: sharesCommand,
  'unlock-quorum': unlockQuorumCommand,
  kit: kitCommand,
};

async function dispatch(argv: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const [command, ...rest] = argv;
  const vaultCommand = command === undefined ? undefined : VAULT_COMMANDS[command];
  if (vaultCommand) {
    return vaultCommand(rest, { io, env: deps.env ?? process.env, prompt: deps.prompt ?? terminalPrompt(), version: deps.version });
  }
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    case 'version':
    case '--version':
    case '-v':
      io.out(`lifeboat ${deps.version}\n`);
      return 0;
    case 'status':
      return statusCommand(rest, io, deps);
    default:
      throw new LifeboatError('CLI_USAGE', `Unknown command "${command}". Run \`lifeboat help\` for the list.`);
  }
}

/** Node's parseArgs throws plain TypeErrors with ERR_PARSE_ARGS_* codes: make them usage errors. */
function asUsageError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) {
    return error;
  }
  // Node's own wording runs to several sentences; say it in one.
  const message = (error as Error).message;
  const option = /'(-{1,2}[^'\s]+)'/.exec(message)?.[1];
  const sentence =
    code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option
      ? `Unknown option ${option}`
      : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option
        ? `Option ${option} needs a value`
        : message.split('. ')[0] ?? message;
  return new LifeboatError('CLI_USAGE', `${sentence}. Run \`lifeboat help\` for usage.`);
}

export async function runCli(argv: string[], io: CliIo, deps: CliDeps): Promise<number> {
  try {
    return await dispatch(argv, io, deps);
  } catch (raw) {
    const error = asUsageError(raw);
    const shape = toErrorShape(error);
    // The sentence always goes to stderr; with --json, the typed error also goes to stdout.
    io.err(`lifeboat: ${shape.message}\n`);
    if (argv.includes('--json')) {
      io.out(`${JSON.stringify({ ok: false, error: shape }, null, 2)}\n`);
    }
    return exitCodeFor(shape.code);
  }
}
