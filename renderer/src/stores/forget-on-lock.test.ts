/**
 * After a lock the window's stores hold nothing read from the vault: not the
 * records, search results, open record or revealed value, not the call list,
 * audit timeline, sync diff or quorum notice. Whether the member locked, main
 * locked by itself (the window learns it from the next answer), or another
 * member took the window.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LifeboatApi } from '../../../shared/api';
import type { ChannelName } from '../../../shared/channel-names';
import type { Result } from '../../../shared/errors';
import type { SessionInfo } from '../../../shared/vault-contract';
import { QUORUM_MEMBER } from '../../../shared/record-kinds';
import { useAppStore } from './app-store';
import { useAuditStore } from './audit-store';
import { forgetOnLock, forgetVault } from './forget-on-lock';
import { useHomeStore } from './home-store';
import { useLibraryStore } from './library-store';
import { useMembersStore } from './members-store';
import { useQuorumStore } from './quorum-store';
import { resumePoint } from './resume-point';
import { useSessionStore } from './session-store';
import { useSyncStore } from './sync-store';

const MARKER = 'zq-decrypted-text-7f3a';

function session(member = 'alice'): SessionInfo {
  return {
    vaultId: 'v1',
    vaultName: 'Ops',
    dir: '/vaults/ops.lifeboat',
    member,
    role: 'owner',
    insecureFastKdf: false,
    failedAttemptsBefore: 0,
    autoLockMinutes: 5,
    reviewDays: 90,
    onCallWarningDays: 7,
    fingerprint: 'AAAA-BBBB',
    quorumUnlocks: [],
  };
}

/** What main answers, by channel; a test changes an entry to make main say something else. */
let answers: Partial<Record<ChannelName, Result<unknown>>>;

function normalAnswers(): Partial<Record<ChannelName, Result<unknown>>> {
  const record = { id: 'rb-1', type: 'runbook', title: `Restore ${MARKER}`, revision: 2, updatedAt: 'now', updatedBy: 'alice' };
  const hit = { id: 'rb-1', type: 'runbook', title: record.title, score: 1, snippet: `fail over ${MARKER}` };
  return {
    'vault:unlock': { ok: true, value: session() },
    'vault:lock': { ok: true, value: { ok: true } },
    'vault:status': { ok: true, value: { session: session() } },
    'records:list': { ok: true, value: [record] },
    'records:search': { ok: true, value: [hit] },
    'records:search-settled': { ok: true, value: [hit] },
    'records:open': {
      ok: true,
      value: { ...record, createdAt: 'then', createdBy: 'alice', data: { body: `# ${MARKER}`, password: '••••' }, sealedFields: ['password'] },
    },
    'secret:reveal': { ok: true, value: { value: `pw-${MARKER}` } },
    'contacts:call-list': { ok: true, value: [{ id: 'ct-1', name: 'Dana', role: 'DBA', phones: [`+1 ${MARKER}`], channels: [], escalationOrder: 1 }] },
    'catalog:status': { ok: true, value: { catalogs: [], publishers: [] } },
    'sessions:list': { ok: true, value: [] },
    'audit:list': { ok: true, value: [{ seq: 1, event: { type: 'record.opened', recordTitle: record.title, actor: 'alice' } }] },
    'catalog:sync': {
      ok: true,
      value: {
        catalogId: 'ops',
        catalogVersion: 2,
        publisher: 'Platform',
        signature: 'verified',
        previousVersion: 1,
        dryRun: true,
        diff: {
          added: [],
          changed: [
            {
              key: 'rb-1',
              type: 'runbook',
              title: record.title,
              file: 'rb-1.md',
              fields: ['body'],
              recordId: 'rb-1',
              // The word diff holds the vault's own text (the removed words): forgotten at the lock too.
              content: [{ field: 'body', label: 'Runbook', segments: [{ op: 'removed', text: `local ${MARKER}` }], partial: false }],
            },
          ],
          removed: [],
          conflicts: [],
          unchanged: 0,
          keptLocal: 0,
        },
        adoption: null,
        archive: { archiving: 0, of: 1, needsConfirmation: false },
        skipped: [],
        warnings: [],
        applied: null,
      },
    },
    'members:list': { ok: true, value: [{ name: 'alice', role: 'owner', slotFormat: 2 }] },
  };
}

const api: LifeboatApi = {
  invoke: ((channel: ChannelName) =>
    Promise.resolve(answers[channel] ?? { ok: false, error: { code: 'INTERNAL', message: channel } })) as LifeboatApi['invoke'],
  onProgress: () => () => undefined,
};

/** Everything the vault stores hold, as text (their actions left out). */
function held(): string {
  const stores = [useLibraryStore, useHomeStore, useAuditStore, useSyncStore, useMembersStore, useQuorumStore, useSessionStore];
  return JSON.stringify(stores.map((store) => store.getState()));
}

/** A member at work: unlocked, searched, opened and revealed, looked at home, audit, sync and the quorum card. */
async function readEverything(): Promise<void> {
  await useSessionStore.getState().unlock('/vaults/ops.lifeboat', 'alice', 'correct horse');
  const library = useLibraryStore.getState();
  await library.load();
  await library.search(MARKER);
  await library.settleSearch();
  await library.open('rb-1');
  await useLibraryStore.getState().reveal('password', 'INC-1 restore');
  await useHomeStore.getState().load();
  await useAuditStore.getState().load();
  useSyncStore.getState().setPath('/catalogs/ops.lbcat');
  await useSyncStore.getState().check();
  await useMembersStore.getState().load();
  useQuorumStore.setState({ opening: { custodians: ['carol', 'dave'], reason: `restore ${MARKER}` }, twoPersonIds: ['sec-1'] });
  // The test would prove nothing if the stores had not taken it in.
  expect(held()).toContain(`pw-${MARKER}`);
  expect(held().split(MARKER).length - 1).toBeGreaterThanOrEqual(8);
}

let stop: () => void = () => undefined;

beforeAll(() => {
  stop = forgetOnLock();
});

afterAll(() => {
  stop();
});

beforeEach(() => {
  answers = normalAnswers();
  const storage = new Map<string, string>();
  vi.stubGlobal('window', { lifeboat: api });
  vi.stubGlobal('localStorage', { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => storage.set(key, value) });
});

afterEach(() => {
  useSessionStore.setState({ session: null });
  forgetVault();
  vi.unstubAllGlobals();
});

describe('after a lock, the window holds nothing read from the vault', () => {
  it('when the member locks', async () => {
    await readEverything();
    await useSessionStore.getState().lock();
    expect(useSessionStore.getState().session).toBeNull();
    expect(held()).not.toContain(MARKER);
  });

  it('when main locked by itself and the next request says so', async () => {
    await readEverything();
    answers['records:list'] = { ok: false, error: { code: 'VAULT_LOCKED', message: 'No vault is unlocked. Unlock one first.' } };
    await useLibraryStore.getState().load();
    expect(useSessionStore.getState().session).toBeNull();
    expect(held()).not.toContain(MARKER);
  });

  it('when main locked by itself and the keep-alive status finds no session', async () => {
    await readEverything();
    answers['vault:status'] = { ok: true, value: { session: null } };
    const { invoke } = await import('../lifeboat-client');
    await invoke('vault:status', {});
    expect(held()).not.toContain(MARKER);
  });

  it('when another member unlocks in the same window', async () => {
    await readEverything();
    answers['vault:unlock'] = { ok: true, value: session('bob') };
    await useSessionStore.getState().unlock('/vaults/ops.lifeboat', 'bob', 'battery staple');
    expect(useSessionStore.getState().session?.member).toBe('bob');
    expect(held()).not.toContain(MARKER);
  });

  it('keeps where the member was as ids and the query only, and takes the same member back there', async () => {
    await readEverything();
    await useSessionStore.getState().lock();
    const point = resumePoint();
    expect(Object.keys(point ?? {}).sort()).toEqual(['exact', 'listScroll', 'member', 'query', 'recordId', 'recordScroll', 'typeFilter', 'vaultId', 'view']);
    // The query is the member's own typing; nothing the vault returned is kept.
    expect(JSON.stringify(point)).not.toMatch(/Restore|pw-|fail over|Dana/);
    expect(point).toMatchObject({ member: 'alice', recordId: 'rb-1', query: MARKER });
    await useSessionStore.getState().unlock('/vaults/ops.lifeboat', 'alice', 'battery staple');
    expect(useLibraryStore.getState().selected?.id).toBe('rb-1');
    expect(useLibraryStore.getState().query).toBe(MARKER);
    expect(resumePoint()).toBeNull();
  });

  it('drops a record whose answer comes back after the lock (it would be shown to the next member)', async () => {
    await readEverything();
    let answer: (value: unknown) => void = () => undefined;
    const late = new Promise((resolve) => {
      answer = resolve;
    });
    const normal = api.invoke.bind(api);
    api.invoke = ((channel: ChannelName, payload: unknown) =>
      channel === 'records:open' ? late.then(() => answers['records:open']) : normal(channel as never, payload as never)) as LifeboatApi['invoke'];
    try {
      const opening = useLibraryStore.getState().open('rb-1');
      await useSessionStore.getState().lock();
      answer(undefined);
      await opening;
      expect(held()).not.toContain(MARKER);
    } finally {
      api.invoke = normal;
    }
  });

  it('a recovery-quorum opening after a member locked starts on a clean home: not their screen, search, record or notices (issue 19)', async () => {
    await readEverything();
    useAppStore.getState().setView('audit');
    await useSessionStore.getState().lock();
    useSessionStore.setState({ lastLock: { reason: 'idle', idleMinutes: 5, at: '2026-01-01T03:00:00.000Z' } });
    answers['vault:unlock-quorum'] = { ok: true, value: session(QUORUM_MEMBER) };
    const opened = await useQuorumStore.getState().unlock('/vaults/ops.lifeboat', ['share-1', 'share-2'], 'alice is unreachable', ['carol', 'dave']);
    expect(opened.ok).toBe(true);
    expect(useSessionStore.getState().session?.member).toBe(QUORUM_MEMBER);
    expect(useAppStore.getState().view).toBe('library');
    expect(useLibraryStore.getState().selected).toBeNull();
    expect(useLibraryStore.getState().query).toBe('');
    expect(useSessionStore.getState()).toMatchObject({ lastLock: null, error: null });
    // Alice's place is not kept for her either: the quorum's opening used it up, nobody resumes into it.
    expect(resumePoint()).toBeNull();
    expect(held()).not.toContain(MARKER);
  });

  it('but not when only the session’s settings change', async () => {
    await readEverything();
    useSessionStore.setState({ session: { ...session(), autoLockMinutes: 10 } });
    expect(useLibraryStore.getState().selected?.data['body']).toBe(`# ${MARKER}`);
  });
});
