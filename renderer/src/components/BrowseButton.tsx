import type { PickPurpose, WritePurpose } from '../../../shared/destinations';
import { invoke } from '../lifeboat-client';
import { useAppStore } from '../stores/app-store';

/**
 * A native file dialog for a path Lifeboat reads (a vault, a catalog), where
 * the host has one (the desktop shell); typing the path always works. Where
 * Lifeboat writes is never a path the window fills in: see destination.ts.
 */
export function BrowseButton({ purpose, onPick }: { purpose: Exclude<PickPurpose, WritePurpose>; onPick: (path: string) => void }) {
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
