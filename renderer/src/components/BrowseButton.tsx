import type { PICK_PURPOSES } from '../../../shared/contract';
import { invoke } from '../lifeboat-client';
import { useAppStore } from '../stores/app-store';

/** A native file dialog where the host has one (the desktop shell); typing the path always works. */
export function BrowseButton({ purpose, onPick }: { purpose: (typeof PICK_PURPOSES)[number]; onPick: (path: string) => void }) {
  const host = useAppStore((s) => s.info?.host);
  if (host !== 'electron') {
    return null;
  }
  return (
    <button
      type="button"
      onClick={() =>
        void invoke('dialog:pick', { purpose }).then((result) => {
          if (result.ok && result.value.path) {
            onPick(result.value.path);
          }
        })
      }
    >
      Browse…
    </button>
  );
}
