/**
 * What each role may do. The engine enforces it (VAULT_FORBIDDEN); the UI
 * uses the same table to hide what a member cannot use.
 */
import type { Role } from './records.js';

export const PERMISSIONS = {
  'records.read': ['owner', 'commander', 'responder'],
  'records.reveal': ['owner', 'commander', 'responder'],
  'records.write': ['owner', 'commander'],
  'members.manage': ['owner'],
  'audit.read': ['owner', 'auditor'],
  'doctor.restore': ['owner'],
  /** Start and end recovery sessions (exercises and incidents), mark secrets rotated. */
  'sessions.lead': ['owner', 'commander'],
  /** Tick steps and checks, add notes and blockers. */
  'sessions.work': ['owner', 'commander', 'responder'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
