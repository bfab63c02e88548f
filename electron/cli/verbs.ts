/**
 * Every `lifeboat` verb, once: the dispatcher (run-cli.ts) finds them here,
 * and `lifeboat help` lists them in this order within their groups.
 *
 * Each is imported only when it runs (issue #20): a command-line run pays
 * for the modules of its own verb, not for all of them (every verb's
 * modules took ~0.45 s to load, `search`'s own about half of that). The
 * name and aliases written here are the ones the verb declares
 * (verbs.test.ts checks both).
 */
import type { CliVerb } from './verb.js';

export interface VerbEntry {
  readonly name: string;
  readonly aliases?: readonly string[];
  /**
   * Run as `VERB DIR --as NAME …`, it opens the vault as that member: its
   * Argon2id may start before its modules load (unlock-ahead.ts).
   */
  readonly unlocksAhead?: true;
  load(): Promise<CliVerb>;
}

export const VERB_TABLE: readonly VerbEntry[] = [
  // Vault
  { name: 'init', load: async () => (await import('./verbs/init.js')).initVerb },
  { name: 'member', load: async () => (await import('./verbs/member.js')).memberVerb },
  { name: 'passwd', load: async () => (await import('./verbs/passwd.js')).passwdVerb },
  { name: 'add', unlocksAhead: true, load: async () => (await import('./verbs/add.js')).addVerb },
  { name: 'list', unlocksAhead: true, load: async () => (await import('./verbs/list.js')).listVerb },
  { name: 'show', unlocksAhead: true, load: async () => (await import('./verbs/show.js')).showVerb },
  { name: 'reveal', unlocksAhead: true, load: async () => (await import('./verbs/reveal.js')).revealVerb },
  { name: 'code', unlocksAhead: true, load: async () => (await import('./verbs/code.js')).codeVerb },
  { name: 'secret', load: async () => (await import('./verbs/secret.js')).secretVerb },
  { name: 'history', unlocksAhead: true, load: async () => (await import('./verbs/history.js')).historyVerb },
  { name: 'audit', load: async () => (await import('./verbs/audit.js')).auditVerb },
  { name: 'report', load: async () => (await import('./verbs/report.js')).reportVerb },
  { name: 'doctor', load: async () => (await import('./verbs/doctor.js')).doctorVerb },
  { name: 'search', unlocksAhead: true, load: async () => (await import('./verbs/search.js')).searchVerb },
  // Catalogs
  { name: 'catalog', load: async () => (await import('./verbs/catalog.js')).catalogVerb },
  { name: 'trust', load: async () => (await import('./verbs/trust.js')).trustVerb },
  { name: 'sync', load: async () => (await import('./verbs/sync.js')).syncVerb },
  // Recovery
  { name: 'plan', unlocksAhead: true, load: async () => (await import('./verbs/plan.js')).planVerb },
  { name: 'readiness', unlocksAhead: true, load: async () => (await import('./verbs/readiness.js')).readinessVerb },
  { name: 'oncall', unlocksAhead: true, load: async () => (await import('./verbs/oncall.js')).oncallVerb },
  { name: 'session', load: async () => (await import('./verbs/session.js')).sessionVerb },
  { name: 'binder', load: async () => (await import('./verbs/binder.js')).binderVerb },
  // Recovery shares and the emergency kit
  { name: 'shares', load: async () => (await import('./verbs/shares.js')).sharesVerb },
  { name: 'unlock-quorum', load: async () => (await import('./verbs/unlock-quorum.js')).unlockQuorumVerb },
  { name: 'kit', load: async () => (await import('./verbs/kit.js')).kitVerb },
  // Other
  { name: 'status', load: async () => (await import('./verbs/status.js')).statusVerb },
  { name: 'help', aliases: ['--help', '-h'], load: async () => (await import('./verbs/help.js')).helpVerb(loadVerbs) },
  { name: 'version', aliases: ['--version', '-v'], load: async () => (await import('./verbs/version.js')).versionVerb },
];

/** Every verb, loaded, in the table's order (`lifeboat help`, tests). */
export function loadVerbs(): Promise<CliVerb[]> {
  return Promise.all(VERB_TABLE.map((entry) => entry.load()));
}

/** The verb a word names: its name or an alias. */
export function verbEntry(word: string): VerbEntry | undefined {
  return VERB_TABLE.find((e) => e.name === word || e.aliases?.includes(word) === true);
}
