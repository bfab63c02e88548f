/**
 * The handlers behind each channel. They are host-agnostic: the Electron
 * shell and the browser host pass in what differs (host kind, packaging).
 */
import type { AppInfo } from '../../shared/contract.js';
import { isWritePurpose, type PickPurpose } from '../../shared/destinations.js';
import type { SaveSuggestion } from '../../shared/save-names.js';
import { LifeboatError } from '../../shared/errors.js';
import { DestinationTokens } from '../operations/destination-tokens.js';
import { runSelfTest, selfTestSteps, type SelfTestStep } from '../operations/vault-access.js';
import type { Handlers } from './router.js';
import type { PdfPrinter } from '../printing/pdf-printer.js';
import { createAccessHandlers } from './access-handlers.js';
import { createBinderHandlers } from './binder-handlers.js';
import { createQuorumHandlers } from './quorum-handlers.js';
import { createRecoveryHandlers } from './recovery-handlers.js';
import { createSecretHandlers } from './secret-handlers.js';
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
  /**
   * Native file dialogs, where the host has them (the Electron shell). With
   * them, every write goes only where a dialog chose (a token); without, to a
   * typed path that main checks.
   */
  /** `suggest`: what a save dialog is saving and in which format, for the file name it offers (shared/save-names.ts). */
  pickPath?: (purpose: PickPurpose, suggest?: SaveSuggestion) => Promise<string | null>;
  /** The dialog choices not yet used; injected so tests can move the clock. */
  destinationTokens?: DestinationTokens;
  /** Chromium's print-to-PDF, for evidence reports (absent: PDF export says so). */
  printPdf?: PdfPrinter;
}

export const SELF_TEST_TASK_ID = 'engine-self-test';

export function createHandlers(deps: HandlerDeps): Handlers {
  const steps = deps.selfTestSteps ?? selfTestSteps;
  const vault = deps.vault ?? new VaultService();
  const tokens = deps.pickPath ? (deps.destinationTokens ?? new DestinationTokens()) : null;
  return {
    ...createVaultHandlers(vault, tokens),
    ...createRecoveryHandlers(vault, deps.printPdf, tokens),
    ...createQuorumHandlers(vault, deps.printPdf, tokens),
    ...createAccessHandlers(vault, deps.printPdf, tokens),
    ...createBinderHandlers(vault, deps.printPdf, tokens),
    ...createSecretHandlers(vault),
    'app:info': () => ({ name: 'Lifeboat', ...deps.facts }),
    'dialog:pick': async ({ purpose, suggest }) => {
      if (!deps.pickPath) {
        throw new LifeboatError('HOST_NO_DIALOG', 'This window cannot open file dialogs: type the path instead.');
      }
      const path = await deps.pickPath(purpose, suggest);
      if (path === null) {
        return { path: null, token: null };
      }
      return { path, token: tokens && isWritePurpose(purpose) ? tokens.issue(purpose, path) : null };
    },
    'engine:status': (_request, { progress }) =>
      runSelfTest(steps(), (done, total, label) => {
        progress({ taskId: SELF_TEST_TASK_ID, label, done, total, finished: done === total });
      }),
  };
}
