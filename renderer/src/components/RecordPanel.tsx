import { useEffect, useMemo, useRef, useState } from 'react';
import { formatMinutes } from '../../../shared/durations';
import { NO_CLIPBOARD_MESSAGE } from '../../../shared/clipboard';
import { ONE_TIME_CODE_FIELDS, SEALED_MASK } from '../../../shared/record-kinds';
import type { LifeboatErrorShape } from '../../../shared/errors';
import type { RecordView, Revision } from '../../../shared/records';
import { invoke } from '../lifeboat-client';
import { hintFor } from '../error-hints';
import { escapeIsFree } from '../escape-key';
import { headingSlug, renderMarkdown } from '../markdown';
import { recordLayout, type RecordLayout } from '../record-view';
import { REVEAL_SECONDS, useLibraryStore } from '../stores/library-store';
import { sealedCopyKey, useClipboardStore } from '../stores/clipboard-store';
import { useQuorumStore } from '../stores/quorum-store';
import { CopyNotice } from './CopyNotice';
import { RecordContents } from './RecordContents';
import { LinkedCredentials } from './LinkedCredentials';
import { OneTimeCode } from './OneTimeCode';
import { SecretUpkeep } from './SecretUpkeep';
import { OnCallCard } from './OnCallCard';
import { DiscardConfirm, ReasonFields, useReasonForm } from './ReasonForm';
import { StepsChecklist } from './StepsChecklist';
import './quorum.css';

function asList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The record's Markdown (a runbook's or procedure's body), or ''. */
function markdownOf(record: RecordView | null): string {
  const value = record
    ? recordLayout(record.type)
        .markdown.map((key) => record.data[key])
        .find((v) => typeof v === 'string')
    : undefined;
  return typeof value === 'string' ? value : '';
}

/** The open record: facts, rendered Markdown, steps as a checklist, sealed fields. */
export function RecordPanel({ onEdit }: { onEdit?: (() => void) | undefined }) {
  const { selected, close, open, search } = useLibraryStore();
  const twoPersonIds = useQuorumStore((s) => s.twoPersonIds);

  /** A dependency opens its service record when the vault has one, else searches for it. */
  const openService = async (ref: string): Promise<void> => {
    const name = ref.replace(/^[a-z]+:(?:[^/]+\/)?/i, '');
    const result = await invoke('records:search', { query: name, type: 'service' });
    const exact = result.ok ? result.value.hits.find((hit) => hit.title.toLowerCase() === name.toLowerCase()) : undefined;
    if (exact) {
      await open(exact.id);
    } else {
      await search(name);
    }
  };
  const copyText = useClipboardStore((s) => s.copyText);
  const layout: RecordLayout | null = selected ? recordLayout(selected.type) : null;
  const body = markdownOf(selected);
  const links = selected?.links;
  const images = selected?.images;
  const html = useMemo(() => renderMarkdown(body, links, images), [body, links, images]);
  const markdownRef = useRef<HTMLDivElement>(null);
  /** The link being followed: once its record shows, focus goes to the heading it names, else to the title. */
  const following = useRef<{ id: string; anchor: string | null } | null>(null);
  /**
   * A link to another record of the catalog (a button renderMarkdown wrote):
   * opened like any other record, so logged first. Focus then moves into the
   * new record, so the keyboard carries on from where the link pointed.
   */
  const followLink = (event: { target: EventTarget | null }): void => {
    // A code block's copy button (renderMarkdown): its block's text, through main, with the notice above the body.
    const copy = event.target instanceof Element ? event.target.closest('button.md-copy') : null;
    const code = copy?.parentElement?.querySelector('pre')?.textContent;
    if (copy && code && selected) {
      void copyText(`${selected.id}:body-code`, code.replace(/\n$/u, ''));
      return;
    }
    const button = event.target instanceof Element ? event.target.closest('button[data-record-id]') : null;
    const id = button?.getAttribute('data-record-id');
    if (id) {
      following.current = { id, anchor: button?.getAttribute('data-anchor') ?? null };
      void open(id);
    }
  };
  useEffect(() => {
    const target = following.current;
    if (!target || selected?.id !== target.id) {
      return;
    }
    following.current = null;
    const heading = target.anchor
      ? Array.from(markdownRef.current?.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6') ?? []).find(
          (h) => headingSlug(h.textContent) === target.anchor?.toLowerCase(),
        )
      : undefined;
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    } else {
      document.getElementById('record-title')?.focus();
    }
  }, [selected, html]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      // The outermost Esc: only when nothing inside took it and no typed text is in focus (escape-key.ts).
      if (escapeIsFree(event)) {
        close();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [close]);

  if (!selected || !layout) {
    return (
      <section className="card record record-empty" aria-label="Record">
        <p className="muted">Pick a record on the left, or press Ctrl K and type: results appear as you type.</p>
      </section>
    );
  }

  const facts = Object.entries(selected.data).filter(
    ([key, value]) => layout.facts.has(key) && value !== undefined && value !== '' && !selected.sealedFields.includes(key),
  );
  const items = ({ key }: { key: string }): string[] => asList(selected.data[key]);

  return (
    <article className="card record" aria-labelledby="record-title" data-testid="record">
      <header className="record-header">
        <span className={`type-tag type-${selected.type}`}>{selected.type}</span>
        <h2 id="record-title" tabIndex={-1}>
          {selected.title}
        </h2>
        {selected.data['archived'] === true && <span className="pill pill-bad">archived from its catalog</span>}
        {(selected.data['twoPerson'] === true || twoPersonIds.includes(selected.id)) && (
          <span className="two-person-badge" data-testid="two-person-badge" title="A second member must confirm every reveal with their own passphrase">
            Two-person rule
          </span>
        )}
        {onEdit && (
          <button type="button" className="edit-button" onClick={onEdit}>
            Edit
          </button>
        )}
      </header>
      <p className="muted">
        Revision {selected.revision}, updated {new Date(selected.updatedAt).toLocaleString()} by {selected.updatedBy}
      </p>
      {facts.length > 0 && (
        <dl className="facts">
          {facts.map(([key, value]) => (
            <div key={key}>
              <dt>{layout.labels[key]}</dt>
              <dd>{layout.minutes.has(key) && typeof value === 'number' ? formatMinutes(value) : String(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {layout.links.map((field) =>
        items(field).length > 0 ? (
          <p key={field.key} className="deps" data-testid="depends-on">
            <strong>{field.label}:</strong>{' '}
            {items(field).map((dep) => (
              <button key={dep} type="button" className="link-button" onClick={() => void openService(dep)}>
                {dep}
              </button>
            ))}
          </p>
        ) : null,
      )}
      {layout.lists.map((field) =>
        items(field).length > 0 ? (
          <p key={field.key}>
            <strong>{field.label}:</strong>{' '}
            {field.copy
              ? items(field).map((item, i) => (
                  <span key={item} className="phone">
                    <code>{item}</code>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => void copyText(`${selected.id}:${field.key}:${i}`, item)}
                      aria-label={`Copy ${item}`}
                    >
                      copy
                    </button>
                    <CopyNotice copyKey={`${selected.id}:${field.key}:${i}`} />
                  </span>
                ))
              : items(field).join(' · ')}
          </p>
        ) : null,
      )}
      {selected.type === 'service' && <OnCallCard key={selected.id} serviceIds={[selected.id]} heading="On call" />}
      {selected.sealedFields.length > 0 && (
        <section aria-label="Sealed fields" className="sealed">
          {selected.sealedFields.map((field) =>
            ONE_TIME_CODE_FIELDS.includes(field) ? (
              // A seed is never shown: only codes made from it, after a logged reason (issue 21).
              <OneTimeCode
                key={`${selected.id}-${field}`}
                recordId={selected.id}
                field={field}
                label={layout.labels[field] ?? field}
                twoPersonMarked={selected.data['twoPerson'] === true}
              />
            ) : (
              <SealedField key={field} field={field} label={layout.labels[field] ?? field} />
            ),
          )}
        </section>
      )}
      <SecretUpkeep key={`upkeep-${selected.id}`} record={selected} />
      {selected.credentials && selected.credentials.length > 0 && (
        <LinkedCredentials key={selected.id} procedureId={selected.id} credentials={selected.credentials} />
      )}
      {layout.checklists.map((field) =>
        items(field).length > 0 ? (
          // Keyed by record: another record's checklist starts from what its session holds, never this one's ticks.
          <StepsChecklist key={`${selected.id}-${field.key}`} recordId={selected.id} field={field.key} label={field.label} steps={items(field)} />
        ) : null,
      )}
      {layout.checks.map((field) =>
        items(field).length > 0 ? (
          <section key={field.key} aria-labelledby={`${field.key}-heading`}>
            <h3 id={`${field.key}-heading`}>{field.label}</h3>
            <ul>
              {items(field).map((check, i) => (
                <li key={i}>{check}</li>
              ))}
            </ul>
          </section>
        ) : null,
      )}
      <History recordId={selected.id} revision={selected.revision} />
      {/* Sanitised by renderMarkdown (markdown-it without HTML, then DOMPurify); no link or image can load or open anything
          but another record of the vault, through followLink (a click, or Enter on the focused button). */}
      {body && <RecordContents bodyRef={markdownRef} html={html} />}
      {body && <CopyNotice copyKey={`${selected.id}:body-code`} />}
      {body && <div className="markdown" data-testid="markdown" ref={markdownRef} onClick={followLink} dangerouslySetInnerHTML={{ __html: html }} />}
    </article>
  );
}

/** A sealed field: •••• until a reasoned, logged reveal; then shown for 30 seconds. */
function SealedField({ field, label }: { field: string; label: string }) {
  const { revealed, reveal, copy, hide, selected, error } = useLibraryStore();
  const { twoPersonIds, markTwoPerson, unsealWithSecond } = useQuorumStore();
  // Asked when the form opens: where there is no clipboard, the form says so and offers no copy (nothing is logged).
  const clipboardAvailable = useClipboardStore((s) => s.available);
  const ensureClipboard = useClipboardStore((s) => s.ensureAvailable);
  // Errors of the two-person path belong to this field, not to the library pane.
  const [problem, setProblem] = useState<LifeboatErrorShape | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const shown = revealed?.field === field && revealed.recordId === selected?.id ? revealed : null;
  // Marked by an owner, or learned from the engine (a two-person procedure can impose it on a secret).
  const twoPerson = selected !== null && (selected.data['twoPerson'] === true || twoPersonIds.includes(selected.id));
  // Esc with a reason typed asks first (issue 19): the reason is work, and Esc is easy to hit. The record stays open.
  const reasonForm = useReasonForm(twoPerson, () => {
    setProblem(null);
  });
  const { asking, setAsking, reason, setReason, second, setSecond, confirmDiscard, ready, keepTyping, closeForm, onFormKey } = reasonForm;

  useEffect(() => {
    if (!shown) {
      return;
    }
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= shown.hideAt) {
        hide();
      }
    }, 250);
    return () => {
      window.clearInterval(timer);
    };
  }, [shown, hide]);

  const unseal = async (mode: 'reveal' | 'copy'): Promise<void> => {
    setProblem(null);
    let ok: boolean;
    if (twoPerson) {
      const failed = await unsealWithSecond(mode, field, reason, { member: second.member.trim(), passphrase: second.passphrase });
      setProblem(failed);
      ok = failed === null;
    } else {
      ok = await (mode === 'reveal' ? reveal(field, reason) : copy(field, reason));
      const failed = useLibraryStore.getState().error;
      if (!ok && selected && failed?.code === 'TWO_PERSON_REQUIRED') {
        // Now known: ask for the second member right here.
        markTwoPerson(selected.id);
        setProblem(failed);
        useLibraryStore.setState({ error: null });
      }
    }
    // The second member's passphrase is never kept, whatever happened.
    setSecond({ ...second, passphrase: '' });
    if (ok) {
      setAsking(false);
      setReason('');
    }
  };

  const submit = (event: { preventDefault: () => void }): void => {
    event.preventDefault();
    void unseal('reveal');
  };
  const failure = problem ?? error;

  return (
    <div className="sealed-field" data-testid={`sealed-${field}`}>
      <span className="sealed-label">{label}</span>
      {shown ? (
        <>
          <code className="sealed-value" data-testid="revealed-value">
            {shown.value}
          </code>
          <span className="muted">hides in {Math.min(REVEAL_SECONDS, Math.max(0, Math.ceil((shown.hideAt - now) / 1000)))} s</span>
          <button type="button" onClick={hide}>
            Hide
          </button>
        </>
      ) : (
        <>
          <span className="sealed-mask">{SEALED_MASK}</span>
          {!asking && (
            <button
              type="button"
              onClick={() => {
                setAsking(true);
                void ensureClipboard();
              }}
            >
              Reveal or copy…
            </button>
          )}
        </>
      )}
      {!asking && selected && <CopyNotice copyKey={sealedCopyKey(selected.id, field)} />}
      {asking && !shown && (
        <form className="reveal-form" onSubmit={submit} onKeyDown={onFormKey}>
          <ReasonFields
            form={reasonForm}
            question="Why do you need it? (recorded in the audit log before it is shown)"
            placeholder="INC-1234: restore the primary database"
            twoPerson={twoPerson}
          />
          <button type="submit" className="primary" disabled={twoPerson && !ready}>
            Log and reveal for {REVEAL_SECONDS} s
          </button>
          <button type="button" disabled={!ready || clipboardAvailable === false} onClick={() => void unseal('copy')}>
            Log and copy
          </button>
          <button
            type="button"
            onClick={() => {
              setAsking(false);
              setProblem(null);
              setSecond({ ...second, passphrase: '' });
            }}
          >
            Cancel
          </button>
          {clipboardAvailable === false && (
            <p className="muted no-clipboard" data-testid="no-clipboard">
              {NO_CLIPBOARD_MESSAGE}
            </p>
          )}
          {confirmDiscard && <DiscardConfirm onKeep={keepTyping} onDiscard={closeForm} />}
          {failure && (
            <p className="field-error" role="alert" data-testid="reveal-error">
              {failure.message}{' '}
              {problem?.code === 'VAULT_AUTH_FAILED'
                ? `${second.member.trim() || 'The second member'} must type their own passphrase again.`
                : hintFor(failure.code)}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

/** Every revision: who, when, what kind of change, which fields (never sealed values). */
function History({ recordId, revision }: { recordId: string; revision: number }) {
  const [open, setOpen] = useState(false);
  const [revisions, setRevisions] = useState<Revision[] | null>(null);

  useEffect(() => {
    if (!open) {
      return;
    }
    let live = true;
    void invoke('records:history', { id: recordId }).then((result) => {
      if (live && result.ok) {
        setRevisions(result.value);
      }
    });
    return () => {
      live = false;
    };
  }, [open, recordId, revision]);

  return (
    <details
      className="history"
      onToggle={(event) => {
        setOpen((event.target as HTMLDetailsElement).open);
      }}
      data-testid="history"
    >
      <summary>
        History ({revision} revision{revision === 1 ? '' : 's'})
      </summary>
      {revisions && (
        <ol className="history-list" reversed>
          {[...revisions].reverse().map((r) => (
            <li key={r.revision}>
              <strong>rev {r.revision}</strong> {r.action} by {r.by}, {new Date(r.at).toLocaleString()}
              {r.changed.length > 0 && <span className="muted"> — {r.changed.join(', ')}</span>}
              {r.action === 'edited' && <RevisionChanges recordId={recordId} revision={r.revision} />}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

/** Before and after of one edit, loaded on demand; sealed values stay masked. */
function RevisionChanges({ recordId, revision }: { recordId: string; revision: number }) {
  const [changes, setChanges] = useState<{ field: string; before: string; after: string }[] | null>(null);
  if (!changes) {
    return (
      <button
        type="button"
        className="link-button"
        onClick={() =>
          void invoke('records:revision-changes', { id: recordId, revision }).then((result) => {
            if (result.ok) {
              setChanges(result.value);
            }
          })
        }
      >
        show changes
      </button>
    );
  }
  return (
    <table className="diff-table" data-testid={`changes-${revision}`}>
      <thead>
        <tr>
          <th>Field</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <td>{c.field}</td>
            <td className="diff-before">{c.before}</td>
            <td className="diff-after">{c.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
