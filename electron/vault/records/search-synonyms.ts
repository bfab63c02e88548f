/**
 * Words operators use for the same thing (docs/vault-format.md, "Search
 * index"; tested in search-synonyms.test.ts). Applied to queries only: a
 * query word in a group also looks for the group's other words, which rank
 * a little below the word typed. Add a group here, a line in the doc, a test.
 */
import { fold, stem } from './search-text.js';

export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['kubernetes', 'k8s', 'kube'],
  ['database', 'db', 'databases'],
  ['postgres', 'postgresql', 'pg', 'psql'],
  ['certificate', 'cert', 'certs'],
  ['tls', 'ssl'],
  ['expiration', 'expiry', 'expire', 'expiring'],
  ['memory', 'mem', 'ram'],
  ['configuration', 'config', 'cfg', 'conf'],
  ['authentication', 'auth', 'authn', 'login', 'signon', 'sso'],
  ['disk', 'filesystem', 'fs', 'volume'],
  ['error', 'err', 'errs'],
  ['restart', 'crashloop', 'crashlooping', 'crash'],
  ['notification', 'alert', 'notify'],
  ['synchronize', 'sync', 'synchronization'],
  ['environment', 'env'],
  ['production', 'prod'],
  ['staging', 'stage'],
  ['application', 'app'],
  ['repository', 'repo'],
  ['message', 'msg'],
  ['password', 'passwd', 'pwd'],
  ['dns', 'nameserver', 'resolver'],
  ['loadbalancer', 'lb'],
  ['cpu', 'processor'],
  ['latency', 'slow'],
  ['unavailable', 'down', 'outage'],
  ['colour', 'color'],
  ['behaviour', 'behavior'],
  ['centre', 'center'],
  ['licence', 'license'],
  ['catalogue', 'catalog'],
  ['analyse', 'analyze'],
  ['grey', 'gray'],
  ['cancelled', 'canceled'],
];

/** Term → the other terms of its groups. */
const BY_TERM = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) {
  const terms = [...new Set(group.map((word) => stem(fold(word))))];
  for (const term of terms) {
    BY_TERM.set(term, [...new Set([...(BY_TERM.get(term) ?? []), ...terms.filter((t) => t !== term)])]);
  }
}

/** The other terms a query term also looks for (none for most). */
export function synonymsOf(term: string): readonly string[] {
  return BY_TERM.get(term) ?? [];
}
