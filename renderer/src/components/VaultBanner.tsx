import { bannerKey, useBannerStore, type BannerKind } from '../stores/banner-store';

interface Props {
  vaultId: string;
  kind: BannerKind;
  /** What the banner says; a dismissal covers exactly this text (banner-store.ts). */
  text: string;
  testId: string;
}

/** A warning about the open vault, one line where it fits, with a button that puts it away. */
export function VaultBanner({ vaultId, kind, text, testId }: Props) {
  const key = bannerKey(vaultId, kind, text);
  const dismiss = useBannerStore((state) => state.dismiss);
  const dismissed = useBannerStore((state) => state.dismissed.has(key) || state.dismissedUntilLock.has(key));
  if (dismissed) {
    return null;
  }
  return (
    <div className="banner banner-warn banner-compact" role="status" data-testid={testId}>
      <span>{text}</span>
      <button
        type="button"
        className="banner-dismiss"
        aria-label={`Dismiss: ${text}`}
        onClick={() => {
          dismiss(kind, key);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
