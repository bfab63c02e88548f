import { useEffect } from 'react';
import { can } from '../../shared/permissions';
import { DEMO_VAULT_NAME } from '../../shared/demo';
import { AuditScreen } from './components/AuditScreen';
import { MembersScreen } from './components/MembersScreen';
import { PlanScreen } from './components/recovery/PlanScreen';
import { QuorumNotice } from './components/QuorumNotice';
import { ReadinessScreen } from './components/recovery/ReadinessScreen';
import { SessionsScreen } from './components/sessions/SessionsScreen';
import { SyncScreen } from './components/SyncScreen';
import { EngineStatusPanel } from './components/EngineStatusPanel';
import { ErrorBanner } from './components/ErrorBanner';
import { HostBadge } from './components/HostBadge';
import { SessionBar } from './components/SessionBar';
import { VaultBanner } from './components/VaultBanner';
import { VaultGate } from './components/VaultGate';
import { Workspace } from './components/Workspace';
import { useAppStore } from './stores/app-store';
import { useLibraryStore } from './stores/library-store';
import { useSessionStore } from './stores/session-store';

export function App() {
  const { info, engine, checking, progress, error, loadInfo, checkEngine, view, setView } = useAppStore();
  const session = useSessionStore((s) => s.session);
  const views = session
    ? (
        [
          ['library', 'Library', can(session.role, 'records.read')],
          ['plan', 'Recovery plan', can(session.role, 'records.read')],
          ['readiness', 'Readiness', can(session.role, 'records.read')],
          ['sessions', 'Exercises & incidents', can(session.role, 'records.read')],
          ['sync', 'Sync', can(session.role, 'records.write')],
          ['audit', 'Audit', can(session.role, 'audit.read')],
          ['members', 'Members & settings', can(session.role, 'members.manage')],
        ] as const
      ).filter(([, , allowed]) => allowed)
    : [];
  const current = views.some(([id]) => id === view) ? view : (views[0]?.[0] ?? 'library');

  /** Graph nodes, findings and checklists open their record in the library. */
  const openRecord = (id: string): void => {
    setView('library');
    void useLibraryStore.getState().open(id);
  };

  useEffect(() => {
    void loadInfo();
    void checkEngine();
  }, [loadInfo, checkEngine]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>Lifeboat</h1>
          <span className="tagline">offline recovery vault</span>
        </div>
        <div className="header-right">
          <SessionBar />
          {!session && <EngineStatusPanel status={engine} checking={checking} progress={progress} onRecheck={() => void checkEngine()} />}
          <HostBadge info={info} />
        </div>
      </header>
      {session ? (
        <main className="app-main app-main-workspace">
          <QuorumNotice />
          {session.vaultName === DEMO_VAULT_NAME && (
            <VaultBanner
              vaultId={session.vaultId}
              kind="demo"
              testId="demo-banner"
              text="Demo vault with sample data. Create your own vault before storing anything real."
            />
          )}
          {session.insecureFastKdf && session.vaultName !== DEMO_VAULT_NAME && (
            <VaultBanner
              vaultId={session.vaultId}
              kind="insecure-kdf"
              testId="insecure-kdf"
              text="This vault uses the insecure test key-derivation setting: its passphrases are cheap to guess. Use it for tests only."
            />
          )}
          {session.failedAttemptsBefore > 0 && (
            <VaultBanner
              vaultId={session.vaultId}
              kind="failed-attempts"
              testId="failed-attempts"
              text={`${String(session.failedAttemptsBefore)} failed unlock attempt${session.failedAttemptsBefore === 1 ? '' : 's'} since the last unlock. They are in the audit log.`}
            />
          )}
          <nav className="views" aria-label="Views">
            {views.map(([id, label]) => (
              <button
                key={id}
                type="button"
                className={current === id ? 'tab tab-active' : 'tab'}
                aria-current={current === id ? 'page' : undefined}
                onClick={() => {
                  setView(id);
                }}
              >
                {label}
              </button>
            ))}
          </nav>
          {current === 'library' && <Workspace />}
          {current === 'plan' && <PlanScreen onOpenRecord={openRecord} />}
          {current === 'readiness' && <ReadinessScreen onOpenRecord={openRecord} />}
          {current === 'sessions' && <SessionsScreen onOpenRecord={openRecord} />}
          {current === 'sync' && <SyncScreen />}
          {current === 'audit' && <AuditScreen />}
          {current === 'members' && <MembersScreen />}
        </main>
      ) : (
        <main className="app-main app-main-gate">
          <p className="purpose" data-testid="purpose">
            Your runbooks, contacts and break-glass credentials for the day single sign-on, the wiki and the network are down.
          </p>
          {error && <ErrorBanner error={error} />}
          <VaultGate />
        </main>
      )}
      <footer className="app-footer">
        <span>No network: everything stays on this machine.</span>
        {info && <span>v{info.version}</span>}
      </footer>
    </div>
  );
}
