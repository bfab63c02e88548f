import { useState } from 'react';
import { invoke } from '../lifeboat-client';
import './one-time-code.css';

/** Bytes as base64, in chunks (a phone screenshot is too large for one String.fromCharCode call). */
function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * "Read from a QR image" beside a one-time-code field (issue 21): the chosen
 * PNG or JPEG goes to main, which finds the QR code and checks its
 * otpauth:// link; the link fills the (masked) field, to be stored sealed
 * with the record. Nothing is stored or logged until the record is saved.
 */
export function QrSeedInput({ fieldId, onSeed }: { fieldId: string; onSeed: (uri: string) => void }) {
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const read = async (file: File | undefined): Promise<void> => {
    if (!file) {
      return;
    }
    setStatus(null);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = await invoke('secret:qr-seed', { name: file.name.slice(0, 255) || 'image', base64: base64Of(bytes) });
    if (!result.ok) {
      setStatus({ ok: false, text: result.error.message });
      return;
    }
    onSeed(result.value.uri);
    const who = [result.value.issuer, result.value.label].filter((part) => part !== '').join(': ');
    setStatus({
      ok: true,
      text: `Read a ${result.value.type.toUpperCase()} seed${who ? ` for ${who}` : ''} from ${file.name}. It is stored sealed when you save.`,
    });
  };
  return (
    <div className="qr-seed">
      <label htmlFor={`qr-seed-${fieldId}`}>Or read it from a QR image (PNG or JPEG)</label>
      <input
        id={`qr-seed-${fieldId}`}
        type="file"
        accept="image/png,image/jpeg"
        data-testid="qr-seed-file"
        onChange={(e) => {
          void read(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      {status && (
        <p className={status.ok ? 'muted' : 'field-error'} role={status.ok ? 'status' : 'alert'} data-testid="qr-seed-status">
          {status.text}
        </p>
      )}
    </div>
  );
}
