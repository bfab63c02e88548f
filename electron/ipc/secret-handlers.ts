/**
 * One-time codes and the upkeep of secrets (issue 21): adapters over
 * operations/one-time-codes.ts and operations/secret-upkeep.ts.
 */
import { generateCode, seedFromQrImage } from '../operations/one-time-codes.js';
import { confirmSecretDisabled, markSecretRotated, secretAttention, setExpiryWarningDays } from '../operations/secret-upkeep.js';
import type { VaultService } from '../operations/vault-service.js';
import type { Handlers } from './router.js';
import { oneAtATime } from './vault-handlers.js';

type SecretChannels = 'secret:code' | 'secret:qr-seed' | 'secret:rotated' | 'secret:disabled' | 'secret:attention' | 'settings:set-expiry-warning-days';

export function createSecretHandlers(service: VaultService): Pick<Handlers, SecretChannels> {
  return oneAtATime(service, {
    'secret:code': ({ id, field, reason, second }) =>
      generateCode(service.current(), { id, reason, ...(field === undefined ? {} : { field }), ...(second ? { second } : {}) }),
    'secret:qr-seed': ({ name, base64 }) => {
      // Only with a vault open: the editor that asks is inside one.
      service.current();
      return seedFromQrImage(Buffer.from(base64, 'base64'), name);
    },
    'secret:rotated': ({ id, note }) => markSecretRotated(service.current(), id, note === undefined ? {} : { note }),
    'secret:disabled': ({ id, note }) => confirmSecretDisabled(service.current(), id, note === undefined ? {} : { note }),
    'secret:attention': () => secretAttention(service.current()),
    'settings:set-expiry-warning-days': async ({ days }) => ({ days: await setExpiryWarningDays(service.current(), days) }),
  });
}
