/**
 * Issue 17 on the sync screen: the catalog id a generic folder needs (asked
 * once: main remembers it for the folder), records of an unsigned import a
 * signed catalog could adopt, and the warning before archiving more than a
 * quarter of a catalog.
 */
import type { SyncReportView } from '../../../shared/vault-contract';
import { useSyncStore } from '../stores/sync-store';

export function CatalogIdQuestion() {
  const { path, idQuestion, changingId, catalogId, busy, setCatalogId, check } = useSyncStore();
  if (!idQuestion && !changingId) {
    return null;
  }
  const name =
    path
      .trim()
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return (
    <form
      className="inline-form id-question"
      data-testid="sync-id-question"
      onSubmit={(event) => {
        event.preventDefault();
        void check();
      }}
    >
      {idQuestion ? (
        <p className="banner banner-warn" title={idQuestion}>
          {`"${name}" is too generic to be a catalog id: many repositories have a folder of that name, and another one synced under the same id would archive this one’s runbooks. Give this catalog an id of its own, for example the repository’s name. Lifeboat remembers it for this folder.`}
        </p>
      ) : (
        <p className="muted">
          {`Sync "${name}" under another catalog id. The records synced under the old id stay as they are (a sync of that id archives them); the new id is remembered for this folder once applied.`}
        </p>
      )}
      <label>
        Catalog id for this folder
        <input
          value={catalogId}
          onChange={(e) => {
            setCatalogId(e.target.value);
          }}
          placeholder="gitlab-runbooks"
          pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,127}"
          title="1–128 letters, digits, “.”, “_” or “-”, starting with a letter or digit"
          required
          spellCheck={false}
          autoFocus
        />
      </label>
      <button type="submit" disabled={busy}>
        Use this id
      </button>
    </form>
  );
}

export function IdProvenance({ report }: { report: SyncReportView }) {
  const { changeId, busy } = useSyncStore();
  if (report.catalogIdFrom === undefined) {
    return null;
  }
  const said =
    report.catalogIdFrom === 'remembered'
      ? ' — id remembered for this folder'
      : report.catalogIdFrom === 'given'
        ? ' — id remembered for this folder once applied'
        : ' — id taken from the folder’s name';
  return (
    <>
      <span className="muted">{said} </span>
      <button type="button" className="link-button" onClick={changeId} disabled={busy} data-testid="sync-change-id">
        Use another id
      </button>
    </>
  );
}

export function AdoptionNotice({ report, applied }: { report: SyncReportView; applied: boolean }) {
  const { adopt, busy, setAdopt } = useSyncStore();
  const { adoption } = report;
  if (!adoption) {
    return null;
  }
  const n = adoption.entries.length;
  const from = adoption.from.join(', ');
  const sameId = adoption.from.includes(report.catalogId);
  return (
    <div className="banner banner-warn" data-testid="sync-adoption">
      <p>
        {adoption.adopted
          ? `${applied ? 'Adopted' : 'Will adopt'} ${n} record${n === 1 ? '' : 's'} of the unsigned import ${from}: ${n === 1 ? 'it becomes' : 'they become'} this catalog’s (logged).`
          : sameId
            ? `Catalog id ${report.catalogId} holds records synced from an unsigned folder: this signed catalog can be applied only if you adopt them.`
            : `${n} entr${n === 1 ? 'y duplicates a record' : 'ies duplicate records'} of the unsigned import ${from} (same paths). Applying as is adds ${n === 1 ? 'it' : 'them'} again, as copies.`}
      </p>
      {!applied && (
        <label>
          <input
            type="checkbox"
            checked={adopt}
            disabled={busy}
            onChange={(e) => {
              void setAdopt(e.target.checked);
            }}
          />{' '}
          Adopt them: those records become this signed catalog’s instead of duplicates (owners; logged)
        </label>
      )}
    </div>
  );
}

export function ArchiveWarning({ report, applied }: { report: SyncReportView; applied: boolean }) {
  const { confirmArchive, setConfirmArchive } = useSyncStore();
  const { archiving, of, needsConfirmation } = report.archive;
  if (!needsConfirmation) {
    return null;
  }
  const what = report.signature === 'unsigned' ? 'folder and its catalog id are' : 'catalog file is';
  return (
    <div className="banner banner-warn" data-testid="sync-archive-warning" role={applied ? undefined : 'alert'}>
      <p>
        <strong>
          {applied ? 'Archived' : 'This sync would archive'} {archiving} of the {of} records of catalog {report.catalogId}
        </strong>{' '}
        — more than a quarter. {applied ? 'They stay in the vault, archived.' : `Check the ${what} the right one before applying.`}
      </p>
      {!applied && (
        <label>
          <input
            type="checkbox"
            checked={confirmArchive}
            onChange={(e) => {
              setConfirmArchive(e.target.checked);
            }}
          />{' '}
          Yes, these {archiving} records left the catalog: archive them
        </label>
      )}
    </div>
  );
}
