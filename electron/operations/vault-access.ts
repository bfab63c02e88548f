/**
 * Opening, creating and looking after a vault: what every host does before
 * and around a session (the unlock screen's member list, the demo vault,
 * the doctor), and the members and settings an owner manages.
 */
import { readHeader } from '../vault/keys/vault-header.js';

export { createVault, openVault, type UnlockInput } from '../vault/vault-open.js';
export { openDemoVault } from '../vault/demo-vault.js';
export { prepareUnlock } from '../vault/warm-up.js';
export { prewarmKdf } from '../vault/keys/kdf-worker.js';
export { insecureFastKdfRequested } from '../vault/keys/kdf-params.js';
export { doctorWithKeys, inspectVault, type DoctorReport } from '../vault/storage/vault-doctor.js';
export { acceptRollback, type RollbackAcceptance } from '../vault/anchor/accept-rollback.js';
export { addMember, changePassphrase, QUORUM_MEMBER, removeMember } from '../vault/vault-members.js';
export { readSettings, setAutoLockMinutes, setOnCallWarningDays, setReviewDays } from '../vault/vault-settings.js';
export { runSelfTest, selfTestSteps, type SelfTestStep } from '../vault/self-test.js';
export type { VaultSession } from '../vault/vault-session.js';

/** The unlock screen's list: the vault's name and its members, from the header (no key needed). */
export async function membersPreview(dir: string): Promise<{ name: string; members: string[] }> {
  const header = await readHeader(dir);
  return { name: header.name, members: header.slots.map((slot) => slot.member) };
}
