/** Members and settings (owner): who can open the vault, auto-lock, trusted publishers. */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/contract';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { Member, Role } from '../../../shared/records';
import type { SessionInfo } from '../../../shared/vault-contract';
import { invoke } from '../lifeboat-client';
import { useSessionStore } from './session-store';

export interface MembersState {
  members: Member[];
  publishers: ResponseOf<'catalog:status'>['publishers'];
  notice: string | null;
  error: LifeboatErrorShape | null;
  busy: boolean;
  load: () => Promise<void>;
  add: (name: string, role: Role, passphrase: string) => Promise<boolean>;
  remove: (name: string) => Promise<boolean>;
  changePassphrase: (current: string, next: string) => Promise<boolean>;
  setAutoLock: (minutes: number) => Promise<boolean>;
  setReviewDays: (days: number) => Promise<boolean>;
  setOnCallWarningDays: (days: number) => Promise<boolean>;
  trust: (publicKey: string, name: string) => Promise<boolean>;
}

export const useMembersStore = create<MembersState>((set, get) => {
  /** Runs one change; on success shows `notice` and reloads. */
  const change = async <T>(
    request: Promise<{ ok: true; value: T } | { ok: false; error: LifeboatErrorShape }>,
    notice: (value: T) => string,
  ): Promise<boolean> => {
    set({ busy: true, error: null, notice: null });
    const result = await request;
    if (!result.ok) {
      set({ busy: false, error: result.error });
      return false;
    }
    set({ busy: false, notice: notice(result.value) });
    await get().load();
    return true;
  };
  /** A vault setting: the change, then the session's copy of the settings read again. */
  const changeSetting = async (
    request: Promise<{ ok: true; value: SessionInfo } | { ok: false; error: LifeboatErrorShape }>,
    notice: (info: SessionInfo) => string,
  ): Promise<boolean> => {
    const ok = await change(request, notice);
    if (ok) {
      const status = await invoke('vault:status', {});
      if (status.ok && status.value.session) {
        useSessionStore.setState({ session: status.value.session });
      }
    }
    return ok;
  };
  return {
    members: [],
    publishers: [],
    notice: null,
    error: null,
    busy: false,
    load: async () => {
      const [members, status] = await Promise.all([invoke('members:list', {}), invoke('catalog:status', {})]);
      set({ members: members.ok ? members.value : [], publishers: status.ok ? status.value.publishers : [] });
    },
    add: (name, role, passphrase) => change(invoke('members:add', { name, role, passphrase }), (m) => `${m.name} can now unlock the vault as ${m.role}.`),
    remove: (name) =>
      change(
        invoke('members:remove', { name }),
        () => `${name} was removed and the vault rekeyed: their passphrase and any copy of their key slot no longer open it.`,
      ),
    changePassphrase: (current, next) => change(invoke('members:passwd', { current, next }), () => 'Your passphrase was changed.'),
    setAutoLock: (minutes) =>
      changeSetting(invoke('settings:set-auto-lock', { minutes }), (info) => `The vault now locks after ${info.autoLockMinutes} idle minutes.`),
    setReviewDays: (days) =>
      changeSetting(
        invoke('settings:set-review-days', { days }),
        (info) => `Runbooks not reviewed for ${info.reviewDays} days now show as stale in the readiness review.`,
      ),
    setOnCallWarningDays: (days) =>
      changeSetting(invoke('settings:set-oncall-warning-days', { days }), (info) =>
        info.onCallWarningDays === 0
          ? 'On-call schedule exports are flagged once they have ended.'
          : `On-call schedule exports ending within ${info.onCallWarningDays} days now show in the readiness review.`,
      ),
    trust: (publicKey, name) => change(invoke('catalog:trust', { publicKey, name }), (p) => `Catalogs signed by ${p.name} (key ${p.keyId}) will be accepted.`),
  };
});
