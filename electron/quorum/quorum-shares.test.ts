/**
 * Recovery shares (issue #7): every M-subset of a 3-of-5 set opens the vault
 * and every smaller one fails; a flipped character is caught in its group;
 * shares of a rotated set, of another vault, or the same sheet twice are each
 * refused with their own sentence; the audit log names the quorum.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../shared/errors.js';
import { newVault, unlockAs } from '../../test/support/test-vault.js';
import { loadSodium } from '../vault/keys/crypto-runtime.js';
import { decodeShare, groupChecks, shareGroups } from './share-codec.js';
import { auditEntries, verifyAudit } from '../vault/audit/vault-audit.js';
import { removeMember } from '../vault/vault-members.js';
import { checkShare, createRecoveryShares, openVaultByQuorum, practiceQuorum, QUORUM_MEMBER, revokeRecoveryShares, type ShareSet } from './quorum-shares.js';
import { createRecord, listRecords } from '../vault/records/vault-records.js';

const CUSTODIANS = ['Ana', 'Bea', 'Cy', 'Dev', 'Eli'];
let dir: string;
let set: ShareSet;

function subsets<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) {
    return [[]];
  }
  return items.flatMap((item, i) => subsets(items.slice(i + 1), size - 1).map((rest) => [item, ...rest]));
}

async function refusal(work: () => Promise<unknown>): Promise<LifeboatError> {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(LifeboatError);
    return error as LifeboatError;
  }
  throw new Error('expected a refusal');
}

function flip(text: string, position: number): string {
  const chars = Array.from(text.replace(/ /g, ''));
  const original = chars[position] ?? '0';
  chars[position] = original === 'A' ? 'B' : 'A';
  return chars.join('');
}

beforeAll(async () => {
  const created = await newVault();
  dir = created.dir;
  await createRecord(created.session, { type: 'secret', title: 'Root', data: { password: 'p' } });
  set = await createRecoveryShares(created.session, { threshold: 3, custodians: CUSTODIANS });
  await created.session.lock();
}, 60_000);

describe('a 3-of-5 set', () => {
  it('gives each custodian a numbered share of 20 checked groups', async () => {
    const sodium = await loadSodium();
    expect(set.shares.map((s) => [s.custodian, s.index])).toEqual(CUSTODIANS.map((name, i) => [name, i + 1]));
    for (const share of set.shares) {
      const groups = shareGroups(share.text);
      expect(groups).toHaveLength(20);
      groups.forEach((group, g) => {
        expect(groupChecks(g + 1, group)).toBe(true);
      });
      expect(decodeShare(sodium, share.text)).toMatchObject({ setId: set.setId, threshold: 3, index: share.index, vaultTag: set.vaultId.slice(0, 8) });
    }
  });

  it('opens with every subset of three (in any order), as the recovery quorum', async () => {
    for (const trio of subsets(set.shares, 3)) {
      const session = await openVaultByQuorum(dir, { shares: [...trio].reverse().map((s) => s.text), reason: 'drill: owners unreachable' });
      expect(session.member).toEqual({ name: QUORUM_MEMBER, role: 'owner' });
      expect(listRecords(session, 'secret').map((r) => r.title)).toEqual(['Root']);
      const unlocked = auditEntries(session).at(-1)?.event;
      expect(unlocked).toMatchObject({ type: 'vault.unlocked', actor: QUORUM_MEMBER, reason: 'drill: owners unreachable' });
      expect(String(unlocked?.details?.['custodians']).split(', ').sort()).toEqual(trio.map((s) => s.custodian).sort());
      await session.lock();
    }
  }, 120_000);

  it('refuses every subset of two, saying how many more are needed', async () => {
    for (const pair of subsets(set.shares, 2)) {
      const error = await refusal(() => openVaultByQuorum(dir, { shares: pair.map((s) => s.text), reason: 'x' }));
      expect(error.code).toBe('SHARE_REJECTED');
      expect(error.message).toContain('2 of 3 shares entered: 1 more custodian needed');
    }
  });

  it('catches a flipped character in the group where it is, for every position', async () => {
    const text = set.shares[0]?.text ?? '';
    for (let position = 0; position < 100; position += 1) {
      const error = await refusal(() =>
        openVaultByQuorum(dir, { shares: [flip(text, position), set.shares[1]?.text ?? '', set.shares[2]?.text ?? ''], reason: 'x' }),
      );
      expect(error.code, `position ${position}`).toBe('SHARE_INVALID');
      expect(error.message, `position ${position}`).toContain(`Share 1: group ${Math.floor(position / 5) + 1} does not check`);
    }
  });

  it('refuses the same sheet twice, and a quorum unlock without a reason', async () => {
    const [a, b] = set.shares;
    const twice = await refusal(() => openVaultByQuorum(dir, { shares: [a?.text ?? '', b?.text ?? '', a?.text ?? ''], reason: 'x' }));
    expect(twice.message).toMatch(/Shares 1 and 3 are the same sheet \(custodian 1, Ana\)/);
    const noReason = await refusal(() => openVaultByQuorum(dir, { shares: set.shares.slice(0, 3).map((s) => s.text), reason: '  ' }));
    expect(noReason.code).toBe('VAULT_BAD_INPUT');
  });

  it('checks one share at a time as it is typed, naming its custodian', async () => {
    expect(await checkShare(dir, (set.shares[3]?.text ?? '').toLowerCase())).toEqual({ index: 4, custodian: 'Dev', threshold: 3, custodians: 5 });
  });

  it('lets custodians practise: logged as a drill, nothing else opened', async () => {
    const result = await practiceQuorum(
      dir,
      set.shares.slice(2).map((s) => s.text),
    );
    expect(result.custodians).toEqual(['Cy', 'Dev', 'Eli']);
    const owner = await unlockAs(dir, 'alice');
    const drill = auditEntries(owner).find((e) => e.event.type === 'recovery.drill');
    expect(drill?.event).toMatchObject({ actor: QUORUM_MEMBER, details: { custodians: 'Cy, Dev, Eli', result: 'opened' } });
    expect(verifyAudit(owner).records).toBe(owner.internals().log.size);
    await owner.lock();
  });
});

describe('rotation, revocation and other vaults', () => {
  it('refuses shares of a rotated set by name, and the new set opens', async () => {
    const owner = await unlockAs(dir, 'alice');
    const epochBefore = owner.internals().keys.epoch;
    const next = await createRecoveryShares(owner, { threshold: 2, custodians: ['Ana', 'Fay', 'Gus'] });
    expect(owner.internals().keys.epoch).toBe(epochBefore + 1);
    await owner.lock();
    const old = await refusal(() => openVaultByQuorum(dir, { shares: set.shares.slice(0, 3).map((s) => s.text), reason: 'x' }));
    expect(old.code).toBe('SHARE_REJECTED');
    expect(old.message).toContain('rotated or revoked');
    const session = await openVaultByQuorum(dir, { shares: [next.shares[2]?.text ?? '', next.shares[0]?.text ?? ''], reason: 'new set' });
    expect(session.member.name).toBe(QUORUM_MEMBER);
    await session.lock();
    set = next;
  }, 60_000);

  it('refuses a share of another vault as such', async () => {
    const other = await newVault();
    const otherSet = await createRecoveryShares(other.session, { threshold: 2, custodians: ['X', 'Y'] });
    await other.session.lock();
    const error = await refusal(() => openVaultByQuorum(dir, { shares: [otherSet.shares[0]?.text ?? '', set.shares[0]?.text ?? ''], reason: 'x' }));
    expect(error.message).toContain('Share 1 belongs to another vault');
  });

  it('cannot be removed like a member; revoking retires the set and rekeys', async () => {
    const owner = await unlockAs(dir, 'alice');
    expect((await refusal(() => removeMember(owner, QUORUM_MEMBER))).message).toMatch(/revoke or rotate/);
    await revokeRecoveryShares(owner);
    expect(owner.members().map((m) => m.name)).toEqual(['alice']);
    await owner.lock();
    const error = await refusal(() => openVaultByQuorum(dir, { shares: set.shares.slice(0, 2).map((s) => s.text), reason: 'x' }));
    expect(error.message).toContain('no recovery shares');
  }, 60_000);

  it('keeps the previous set when the sheets cannot be delivered', async () => {
    const { dir: otherDir, session } = await newVault();
    const first = await createRecoveryShares(session, { threshold: 2, custodians: ['Ana', 'Bea'] });
    const error = await refusal(() =>
      createRecoveryShares(session, { threshold: 2, custodians: ['Cy', 'Dev'] }, () => Promise.reject(new LifeboatError('VAULT_IO', 'disk full'))),
    );
    expect(error.code).toBe('VAULT_IO');
    expect(session.internals().header.recovery?.setId).toBe(first.setId);
    await session.lock();
    const reopened = await openVaultByQuorum(otherDir, { shares: first.shares.map((s) => s.text), reason: 'first set still works' });
    await reopened.lock();
  });

  it('validates custodians and threshold before anything is written', async () => {
    const { session } = await newVault();
    for (const [threshold, custodians] of [
      [1, ['a', 'b']],
      [3, ['a', 'b']],
      [2, ['a', 'A']],
      [2, ['a', ' ']],
    ] as const) {
      expect((await refusal(() => createRecoveryShares(session, { threshold, custodians }))).code).toBe('VAULT_BAD_INPUT');
    }
    expect(session.internals().header.recovery).toBeUndefined();
    await session.lock();
  });
});
