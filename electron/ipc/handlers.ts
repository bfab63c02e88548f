/**
 * The handlers behind each channel. They are host-agnostic: the Electron
 * shell and the browser host pass in what differs (host kind, packaging).
 */
import type { AppInfo, PICK_PURPOSES } from '../../shared/contract.js';
import { LifeboatError } from '../../shared/errors.js';

export type PickPurpose = (typeof PICK_PURPOSES)[number];
import { runSelfTest, selfTestSteps, type SelfTestStep } from '../operations/vault-access.js';
import type { Handlers } from './router.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { createQuorumHandlers } from './quorum-handlers.js';
import { createRecoveryHandlers } from './recovery-handlers.js';
import { VaultService } from '../operations/vault-service.js';
import { createVaultHandlers } from './vault-handlers.js';

export interface HostFacts {
  host: AppInfo['host'];
  version: string;
  packaged: boolean;
  platform: string;
}

export interface HandlerDeps {
  facts: HostFacts;
  /** The open-vault holder; a fresh one when not given. */
  vault?: VaultService;
  /** Injected so tests can make a component fail. */
  selfTestSteps?: () => SelfTestStep[];
  /** Native file dialogs, where the host has them (the Electron shell). */
  pickPath?: (purpose: PickPurpose) => Promise<string | null>;
  /** Chromium's print-to-PDF, for evidence reports (absent: PDF export says so). */
  printPdf?: PdfPrinter;
}

export const SELF_TEST_TASK_ID = 'engine-self-test';

export function createHandlers(deps: HandlerDeps): Handlers {
  const steps = deps.selfTestSteps ?? selfTestSteps;
  const vault = deps.vault ?? new VaultService();
  return {
    ...createVaultHandlers(vault),
    ...createRecoveryHandlers(vault, deps.printPdf),
    ...createQuorumHandlers(vault, deps.printPdf),
    'app:info': () => ({ name: 'Lifeboat', ...deps.facts }),
    'dialog:pick': async ({ purpose }) => {
      if (!deps.pickPath) {
        throw new LifeboatError('HOST_NO_DIALOG', 'This window cannot open file dialogs: type the path instead.');
      }
      return { path: await deps.pickPath(purpose) };
    },
    'engine:status': (_request, { progress }) =>
      runSelfTest(steps(), (done, total, label) => {
        progress({ taskId: SELF_TEST_TASK_ID, label, done, total, finished: done === total });
      }),
  };
}
