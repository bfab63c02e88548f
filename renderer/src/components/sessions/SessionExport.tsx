/**
 * Exporting the evidence report: Markdown for a ticket, PDF for people, and
 * signed JSON that anyone can verify without the vault. The desktop shell
 * asks where with main's save dialog (the window never names the file); the
 * browser host has none, so the member types the path (like the audit export).
 */
import { useId, useRef, useState, type SyntheticEvent } from 'react';
import { REPORT_FORMATS, type ReportFormat } from '../../../../shared/recovery-kinds';
import { useChoosesWithDialog } from '../../destination';
import { useSessionsStore } from '../../stores/sessions-store';

const FORMAT: Record<ReportFormat, { label: string; ext: string; what: string }> = {
  markdown: { label: 'Markdown', ext: 'md', what: 'for a ticket or a repository' },
  pdf: { label: 'PDF', ext: 'pdf', what: 'to print or send' },
  json: { label: 'Signed JSON', ext: 'json', what: 'verifiable without the vault' },
};

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${Math.round((bytes / 1024) * 10) / 10} KB`;
}

/**
 * A path for `format` from what is already there: the typed path with its
 * extension swapped, or the last export's folder with this session's name.
 */
function suggestion(typed: string, last: string | null, sessionId: string, format: ReportFormat): string {
  const ext = FORMAT[format].ext;
  if (typed.trim() !== '') {
    return /\.(md|pdf|json)$/i.test(typed) ? typed.replace(/\.(md|pdf|json)$/i, `.${ext}`) : typed;
  }
  if (last === null) {
    return '';
  }
  const slash = Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\'));
  return `${last.slice(0, slash + 1)}evidence-${sessionId}.${ext}`;
}

export function SessionExport({ sessionId }: { sessionId: string }) {
  const { exported, busy, exportTo } = useSessionsStore();
  const withDialog = useChoosesWithDialog();
  const [typing, setTyping] = useState<ReportFormat | null>(null);
  const [path, setPath] = useState('');
  const [lastPath, setLastPath] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();

  const write = async (format: ReportFormat, to: string): Promise<void> => {
    if (await exportTo(format, to)) {
      setLastPath(to);
      setTyping(null);
    }
  };

  const begin = async (format: ReportFormat): Promise<void> => {
    if (withDialog) {
      // Main's save dialog opens now; the path it chose comes back with the result.
      await exportTo(format, '');
      return;
    }
    setTyping(format);
    setPath((current) => suggestion(current, lastPath, sessionId, format));
    input.current?.focus();
  };

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (typing !== null && path.trim() !== '') {
      void write(typing, path.trim());
    }
  };

  return (
    <section className="card ses-export" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Export the report</h3>
      <div className="ses-export-buttons">
        {REPORT_FORMATS.map((format) => (
          <button key={format} type="button" disabled={busy} aria-pressed={typing === format} onClick={() => void begin(format)}>
            {FORMAT[format].label}…<span className="muted"> {FORMAT[format].what}</span>
          </button>
        ))}
      </div>
      {typing !== null && (
        <form className="inline-form ses-export-form" onSubmit={submit}>
          <label>
            Save the {FORMAT[typing].label} report to (this window has no file dialog: type the full path)
            <input
              ref={input}
              aria-label="Report file path"
              value={path}
              onChange={(e) => {
                setPath(e.target.value);
              }}
              placeholder={`/media/usb/evidence-${sessionId}.${FORMAT[typing].ext}`}
              required
              spellCheck={false}
              autoFocus
            />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            Save {FORMAT[typing].label}
          </button>
          <button
            type="button"
            onClick={() => {
              setTyping(null);
            }}
          >
            Cancel
          </button>
        </form>
      )}
      {busy && typing === null && <p className="muted">Writing…</p>}
      {exported && (
        <p className="banner banner-ok ses-exported" role="status" data-testid="exported">
          <span>
            Wrote the {FORMAT[exported.format].label} report to <code>{exported.path}</code> ({formatBytes(exported.bytes)}).
            {exported.format === 'json' && (
              <>
                {' '}
                Anyone can check it without the vault: <code>lifeboat audit verify --export {exported.path}</code>
              </>
            )}
          </span>
        </p>
      )}
    </section>
  );
}
