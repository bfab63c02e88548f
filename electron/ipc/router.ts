/**
 * The IPC router: plain TypeScript, shared by Electron's ipcMain and the
 * browser host so both run the same checks. It never throws: every outcome
 * is a Result, and an unexpected exception becomes INTERNAL without its stack.
 */
import { isChannelName, type ChannelName } from '../../shared/channel-names.js';
import { contract, type RequestOf, type ResponseOf } from '../../shared/contract.js';
import { toErrorShape, unknownChannelError, type Result } from '../../shared/errors.js';
import type { ProgressEvent } from '../../shared/progress.js';
import { isTrustedSender, type SenderInfo } from './sender.js';

export interface HandlerContext {
  /** Sends a progress event to the page that made the request. */
  progress: (event: ProgressEvent) => void;
}

export type Handler<C extends ChannelName> = (request: RequestOf<C>, context: HandlerContext) => Promise<ResponseOf<C>> | ResponseOf<C>;

export type Handlers = { [C in ChannelName]: Handler<C> };

export interface RouterOptions {
  handlers: Handlers;
  /** The base URL our page is served from (app://lifeboat/ or the browser host's). */
  appBaseUrl: string;
  /** Where unexpected errors go (default: stderr); the renderer only sees a generic sentence. */
  logError?: (channel: string, error: unknown) => void;
}

export interface Router {
  dispatch(channel: unknown, payload: unknown, sender: SenderInfo, progress: (event: ProgressEvent) => void): Promise<Result<unknown>>;
}

/** First issue of a failed validation, phrased for a person: "field: problem". */
function describeIssue(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  if (!first) {
    return 'the request is malformed';
  }
  const where = first.path.length > 0 ? first.path.map(String).join('.') : 'request';
  return `${where}: ${first.message}`;
}

function logToStderr(channel: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`lifeboat: ${channel} failed: ${detail}\n`);
}

/** A logger that throws must not turn an error result into a rejected promise. */
function safeLog(log: (channel: string, error: unknown) => void, channel: string, error: unknown): void {
  try {
    log(channel, error);
  } catch {
    // Nothing sensible left to do; the caller still gets its INTERNAL result.
  }
}

export function createRouter(options: RouterOptions): Router {
  const { handlers, appBaseUrl, logError = logToStderr } = options;

  async function dispatch(channel: unknown, payload: unknown, sender: SenderInfo, progress: (event: ProgressEvent) => void): Promise<Result<unknown>> {
    if (!isTrustedSender(sender, appBaseUrl)) {
      return {
        ok: false,
        error: { code: 'IPC_FORBIDDEN_SENDER', message: 'This request did not come from the Lifeboat window and was refused.' },
      };
    }
    if (!isChannelName(channel)) {
      return { ok: false, error: unknownChannelError(channel) };
    }
    const parsed = contract[channel].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'IPC_BAD_REQUEST', message: `Invalid ${channel} request: ${describeIssue(parsed.error.issues)}.` },
      };
    }
    try {
      // The mapped Handlers type guarantees the pairing; TypeScript cannot
      // correlate the union here, hence the widening.
      const handler = handlers[channel] as Handler<ChannelName>;
      const value = await handler(parsed.data, { progress });
      // Responses are checked too: a handler bug must not hand the renderer
      // fields (or secrets) the contract does not name. The parsed copy is
      // what crosses, so unknown keys are stripped.
      const checked = contract[channel].response.safeParse(value);
      if (!checked.success) {
        throw new Error(`${channel} returned a response outside the contract: ${describeIssue(checked.error.issues)}`);
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      const shape = toErrorShape(error);
      if (shape.code === 'INTERNAL') {
        safeLog(logError, channel, error);
      }
      return { ok: false, error: shape };
    }
  }

  return { dispatch };
}
