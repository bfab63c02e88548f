/**
 * Every IPC channel of the contract, as plain strings. Kept apart from the
 * schemas so the preload (a sandboxed script) can check channel names without
 * bundling the validation library; contract.ts proves at compile time that
 * both lists agree.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'dialog:pick',
  'engine:status',
  'vault:create',
  'vault:unlock',
  'vault:lock',
  'vault:members-preview',
  'vault:doctor',
  'clipboard:copy-text',
  'clipboard:status',
  'vault:demo',
  'vault:status',
  'vault:activity',
  'app:remembered',
  'records:list',
  'records:open',
  'records:create',
  'records:edit',
  'records:delete',
  'records:history',
  'records:revision-changes',
  'secret:reveal',
  'secret:copy',
  'secret:reveal-credential',
  'members:list',
  'members:add',
  'members:remove',
  'members:passwd',
  'audit:list',
  'audit:verify',
  'audit:checkpoint',
  'audit:export',
  'audit:query',
  'audit:access-report',
  'audit:access-report-save',
  'settings:set-auto-lock',
  'settings:set-review-days',
  'settings:set-oncall-warning-days',
  'records:search',
  'records:search-settled',
  'catalog:sync',
  'catalog:status',
  'contacts:call-list',
  'catalog:trust',
  'recovery:graph',
  'recovery:plan',
  'recovery:readiness',
  'oncall:lookup',
  'sessions:list',
  'sessions:start',
  'sessions:get',
  'sessions:step',
  'sessions:check',
  'sessions:journal',
  'sessions:override',
  'sessions:end',
  'sessions:runbook-ticks',
  'sessions:tick-runbook',
  'sessions:report',
  'sessions:export',
  'sessions:rotated',
  'shares:status',
  'shares:create',
  'shares:revoke',
  'shares:check',
  'shares:practice',
  'vault:unlock-quorum',
  'kit:export',
  'binder:preview',
  'binder:print',
  'binder:verify',
  'secret:code',
  'secret:qr-seed',
  'secret:rotated',
  'secret:disabled',
  'secret:attention',
  'settings:set-expiry-warning-days',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

/**
 * Channels that are not activity: main never restarts its idle timer for
 * them (they do not touch the open vault), so the window's countdown does
 * not move for them either (renderer/src/activity.ts). Every other channel
 * that reaches an open vault restarts the timer when main handles it; the
 * rule is proven in electron/operations/idle-lock.test.ts.
 */
export const IDLE_NEUTRAL_CHANNELS: readonly ChannelName[] = [
  'app:info',
  'app:remembered',
  'dialog:pick',
  'engine:status',
  'vault:status',
  'vault:members-preview',
  'clipboard:copy-text',
  'clipboard:status',
];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value);
}

/** The name of the single progress event stream from main to the renderer. */
export const PROGRESS_EVENT = 'lifeboat:progress';
/** The one invoke channel the preload uses; the contract channel travels inside. */
export const INVOKE_CHANNEL = 'lifeboat:invoke';
