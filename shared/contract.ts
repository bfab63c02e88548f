/**
 * The typed contract between renderer and main: for each channel, the schema
 * of its request and of its response. The router validates every request
 * against it before a handler runs, and tests validate responses.
 */
import { z } from 'zod';
import type { ChannelName } from './channel-names.js';
import { PICK_PURPOSES } from './destinations.js';
import { SAVE_FORMATS, SAVE_SUBJECTS } from './save-names.js';
import { accessContract } from './access-contract.js';
import { binderContract } from './binder-contract.js';
import { quorumContract } from './quorum-contract.js';
import { recoveryContract } from './recovery-contract.js';
import { secretContract } from './secret-contract.js';
import { vaultContract } from './vault-contract.js';

const EmptyRequest = z.object({}).strict();

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which host runs the renderer: the Electron shell or the browser host. */
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
  /** True in a packaged production build. */
  packaged: z.boolean(),
});

export const EngineComponentSchema = z.object({
  id: z.string(),
  label: z.string(),
  ok: z.boolean(),
  /** One sentence: what was checked, and what was found. */
  detail: z.string(),
});

export const EngineStatusSchema = z.object({
  ready: z.boolean(),
  components: z.array(EngineComponentSchema),
  checkedAt: z.string(),
});

export { PICK_PURPOSES } from './destinations.js';

export const contract = {
  /**
   * A native dialog (desktop shell only). `path` is what the member chose, to
   * show; `token` is what a write channel takes (write purposes only): single
   * use, short-lived, bound to the purpose. Null when the dialog was cancelled.
   */
  'dialog:pick': {
    request: z
      .object({
        purpose: z.enum(PICK_PURPOSES),
        /** A save dialog's suggested name follows the format chosen (shared/save-names.ts); main builds the name, never the window. */
        suggest: z
          .object({ subject: z.enum(SAVE_SUBJECTS), format: z.enum(SAVE_FORMATS) })
          .strict()
          .optional(),
      })
      .strict(),
    response: z.object({ path: z.string().nullable(), token: z.string().nullable() }),
  },
  'app:info': { request: EmptyRequest, response: AppInfoSchema },
  'engine:status': { request: EmptyRequest, response: EngineStatusSchema },
  ...vaultContract,
  ...recoveryContract,
  ...quorumContract,
  ...accessContract,
  ...binderContract,
  ...secretContract,
  // `satisfies` makes a missing channel and an unnamed extra one compile errors.
} as const satisfies Record<ChannelName, { request: z.ZodType; response: z.ZodType }>;

export type Contract = typeof contract;
export type RequestOf<C extends ChannelName> = z.input<Contract[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Contract[C]['response']>;
export type AppInfo = z.output<typeof AppInfoSchema>;
export type EngineStatus = z.output<typeof EngineStatusSchema>;
export type EngineComponent = z.output<typeof EngineComponentSchema>;
