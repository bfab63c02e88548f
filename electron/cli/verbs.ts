/**
 * Every `lifeboat` verb, once: the dispatcher (run-cli.ts) finds them here,
 * and `lifeboat help` lists them in this order within their groups.
 */
import type { CliVerb } from './verb.js';
import { addVerb } from './verbs/add.js';
import { auditVerb } from './verbs/audit.js';
import { binderVerb } from './verbs/binder.js';
import { catalogVerb } from './verbs/catalog.js';
import { codeVerb } from './verbs/code.js';
import { doctorVerb } from './verbs/doctor.js';
import { helpVerb } from './verbs/help.js';
import { historyVerb } from './verbs/history.js';
import { initVerb } from './verbs/init.js';
import { kitVerb } from './verbs/kit.js';
import { listVerb } from './verbs/list.js';
import { memberVerb } from './verbs/member.js';
import { oncallVerb } from './verbs/oncall.js';
import { passwdVerb } from './verbs/passwd.js';
import { planVerb } from './verbs/plan.js';
import { readinessVerb } from './verbs/readiness.js';
import { reportVerb } from './verbs/report.js';
import { revealVerb } from './verbs/reveal.js';
import { searchVerb } from './verbs/search.js';
import { secretVerb } from './verbs/secret.js';
import { sessionVerb } from './verbs/session.js';
import { sharesVerb } from './verbs/shares.js';
import { showVerb } from './verbs/show.js';
import { statusVerb } from './verbs/status.js';
import { syncVerb } from './verbs/sync.js';
import { trustVerb } from './verbs/trust.js';
import { unlockQuorumVerb } from './verbs/unlock-quorum.js';
import { versionVerb } from './verbs/version.js';

export const VERBS: readonly CliVerb[] = [
  // Vault
  initVerb,
  memberVerb,
  passwdVerb,
  addVerb,
  listVerb,
  showVerb,
  revealVerb,
  codeVerb,
  secretVerb,
  historyVerb,
  auditVerb,
  reportVerb,
  doctorVerb,
  searchVerb,
  // Catalogs
  catalogVerb,
  trustVerb,
  syncVerb,
  // Recovery
  planVerb,
  readinessVerb,
  oncallVerb,
  sessionVerb,
  binderVerb,
  // Recovery shares and the emergency kit
  sharesVerb,
  unlockQuorumVerb,
  kitVerb,
  // Other
  statusVerb,
  helpVerb(() => VERBS),
  versionVerb,
];
