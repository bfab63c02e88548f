/**
 * A first-run demo vault with realistic sample records, so a new user sees
 * Lifeboat working before any catalog exists. It is clearly marked (its name
 * says so, and so does the UI), uses a passphrase shown on screen, and the
 * insecure fast KDF (it guards nothing real). The text is written for
 * Lifeboat, not copied from anywhere.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEMO_VAULT_NAME } from '../../shared/demo.js';
import type { CreateRecordInput } from './records/vault-records.js';
import { createRecord } from './records/vault-records.js';
import { createVault, openVault } from './vault-open.js';
import type { VaultSession } from './vault-session.js';

export const DEMO_NAME = DEMO_VAULT_NAME;
export const DEMO_OWNER = 'demo';
export const DEMO_PASSPHRASE = 'demo demo demo';

const RESTORE_DB = `# Restore the orders database from the nightly backup

Use when the primary PostgreSQL cluster for **orders** is lost or corrupted and
replica promotion is not possible.

## Before you start
- Confirm the incident channel and the commander on duty.
- Freeze deploys to the orders service.

## Steps
1. Stop writes: scale the orders API to zero.
2. Find the newest base backup and WAL archive in the offline backup inventory.
3. Restore the base backup to a fresh instance and replay WAL to the last good point.
4. Run the validation queries below before reopening traffic.
5. Scale the orders API back up and watch error rates for 15 minutes.

## Validation
- Row counts of \`orders\` and \`payments\` within 0.1 % of the last report.
- A test order can be created and read back.
`;

const IDP_DOWN = `# Identity provider down: get admin access without SSO

When single sign-on is unavailable, cloud consoles fall back to break-glass
accounts. Each use must be reasoned and is reviewed afterwards.

1. Open the **AWS root account** secret in Lifeboat and reveal the password with the incident number as the reason.
2. Fetch the hardware MFA key from the safe (see the key location record).
3. Sign in, create a time-limited admin session, and record what you changed.
4. After the incident, rotate the root password and return the MFA key.
`;

const DNS = `# Fail over public DNS

1. Check the health of the secondary DNS provider.
2. Lower the TTL of the apex records if the primary still answers.
3. Switch the delegation at the registrar to the secondary name servers.
4. Verify resolution from three networks outside the company.
`;

export const DEMO_RECORDS: CreateRecordInput[] = [
  {
    type: 'service',
    title: 'orders-db',
    data: { tier: 0, owner: 'team-payments', rtoMinutes: 60, rpoMinutes: 15, recoveryMethod: 'restore', dependsOn: ['storage', 'identity'] },
  },
  { type: 'service', title: 'identity', data: { tier: 0, owner: 'team-platform', rtoMinutes: 30, rpoMinutes: 5, recoveryMethod: 'failover', dependsOn: [] } },
  { type: 'service', title: 'public-dns', data: { tier: 1, owner: 'team-network', rtoMinutes: 20, recoveryMethod: 'failover', dependsOn: [] } },
  {
    type: 'service',
    title: 'orders-api',
    data: { tier: 1, owner: 'team-payments', rtoMinutes: 120, rpoMinutes: 15, recoveryMethod: 'redeploy', dependsOn: ['orders-db', 'identity', 'public-dns'] },
  },
  {
    type: 'runbook',
    title: 'Redeploy the orders API from the last signed release',
    data: {
      service: 'orders-api',
      steps: [
        'Check out the last signed release tag from the offline mirror.',
        'Deploy it to the standby cluster with the recovery pipeline.',
        'Point the load balancer at the standby cluster.',
      ],
      validation: ['Health endpoint answers 200 from outside', 'A test order placed through the public site appears in the database'],
      estimatedMinutes: 30,
      lastReviewed: '2026-10-02',
    },
  },
  {
    type: 'runbook',
    title: 'Fail over the identity provider to the second region',
    data: {
      service: 'identity',
      steps: [
        'Confirm the primary region is down, not just slow.',
        'Promote the replica directory in the second region.',
        'Switch the login DNS name to the second region.',
      ],
      validation: ['An engineer can log in with SSO and a hardware key'],
      estimatedMinutes: 40,
      lastReviewed: '2026-03-01',
    },
  },
  {
    type: 'runbook',
    title: 'Restore the orders database from the nightly backup',
    data: {
      service: 'orders-db',
      body: RESTORE_DB,
      steps: [
        'Stop writes: scale the orders API to zero.',
        'Find the newest base backup and WAL archive in the offline backup inventory.',
        'Restore the base backup to a fresh instance and replay WAL to the last good point.',
        'Run the validation queries before reopening traffic.',
        'Scale the orders API back up and watch error rates for 15 minutes.',
      ],
      validation: ['Row counts of orders and payments within 0.1 % of the last report', 'A test order can be created and read back'],
      estimatedMinutes: 45,
      lastReviewed: '2026-09-14',
    },
  },
  { type: 'runbook', title: 'Fail over public DNS', data: { service: 'public-dns', body: DNS, estimatedMinutes: 20 } },
  {
    type: 'procedure',
    title: 'Identity provider down: get admin access without SSO',
    data: {
      body: IDP_DOWN,
      steps: [
        'Reveal the AWS root password with the incident number as the reason.',
        'Fetch the hardware MFA key from the safe.',
        'Create a time-limited admin session.',
        'Rotate and return afterwards.',
      ],
      secrets: ['AWS root account'],
    },
  },
  { type: 'secret', title: 'AWS root account', data: { username: 'root@example.org', password: 'demo-not-a-real-password', notes: 'Sample only.' } },
  {
    type: 'contact',
    title: 'Incident commander on duty',
    data: { role: 'incident commander', phones: ['+44 20 7946 0101'], channels: ['Signal: ic-duty'], escalationOrder: 1 },
  },
  {
    type: 'contact',
    title: 'Head of platform',
    data: { role: 'escalation', phones: ['+44 20 7946 0102'], channels: ['satellite phone 0870 000 0102'], escalationOrder: 2 },
  },
  {
    type: 'key-location',
    title: 'Hardware MFA key for the AWS root account',
    data: {
      what: 'YubiKey, serial ending 4412',
      where: 'Safe B, second floor, London office',
      whoCanReach: ['Facilities on call', 'Head of platform'],
      howToRetrieve: 'Ask Facilities to open Safe B; sign the log.',
    },
  },
];

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Opens the demo vault at `dir`, creating and filling it the first time. */
export async function openDemoVault(dir: string, options: { stateDir?: string } = {}): Promise<VaultSession> {
  if (await exists(`${dir}/header.json`)) {
    return openVault(dir, { member: DEMO_OWNER, passphrase: DEMO_PASSPHRASE, ...options });
  }
  await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
  const session = await createVault(dir, { owner: DEMO_OWNER, passphrase: DEMO_PASSPHRASE, insecureFastKdf: true, name: DEMO_NAME, ...options });
  for (const record of DEMO_RECORDS) {
    await createRecord(session, record);
  }
  return session;
}
