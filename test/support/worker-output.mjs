// Output of the crash-test workers: one synchronous write per line, so a
// SIGKILL can never leave half an acknowledgement on the pipe.
import { writeSync } from 'node:fs';

export function emit(kind, payload) {
  const bytes = Buffer.from(`${kind} ${JSON.stringify(payload)}\n`, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      if (error?.code !== 'EAGAIN') {
        throw error;
      }
    }
  }
}

export function fail(message, extra = {}) {
  emit('ERR', { message, ...extra });
  process.exit(1);
}
