import { useEffect, useState } from 'react';
import { CLIPBOARD_CLEAR_SECONDS } from '../../../shared/clipboard';
import { useClipboardStore } from '../stores/clipboard-store';
import './copy-and-credentials.css';

/**
 * What the last copy from this button did (issue 19, item 3): "Copied —
 * clears in N s", counting down to the moment main clears the clipboard, or
 * why nothing was copied. Shown next to the button whose `copyKey` it is.
 */
export function CopyNotice({ copyKey }: { copyKey: string }) {
  const notice = useClipboardStore((s) => (s.notice?.key === copyKey ? s.notice : null));
  const dismiss = useClipboardStore((s) => s.dismiss);
  const [now, setNow] = useState(() => Date.now());
  const clearsAt = notice?.outcome.copied ? notice.outcome.clearsAt : null;

  useEffect(() => {
    if (clearsAt === null) {
      return;
    }
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= clearsAt) {
        dismiss();
      }
    }, 250);
    return () => {
      window.clearInterval(timer);
    };
  }, [clearsAt, dismiss]);

  if (!notice) {
    return null;
  }
  if (!notice.outcome.copied) {
    return (
      <span className="copy-notice copy-refused" role="status" data-testid="copied-notice">
        {notice.outcome.message}
      </span>
    );
  }
  // Never more than main will give: `now` is at least the moment this render learned of the copy.
  const left = Math.min(
    CLIPBOARD_CLEAR_SECONDS,
    Math.max(0, Math.ceil((notice.outcome.clearsAt - Math.max(now, notice.outcome.clearsAt - CLIPBOARD_CLEAR_SECONDS * 1000)) / 1000)),
  );
  return (
    <span className="copy-notice" role="status" data-testid="copied-notice">
      Copied — clears in {left} s
    </span>
  );
}
