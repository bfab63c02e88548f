import { useEffect } from 'react';
import { EngineStatusPanel } from './components/EngineStatusPanel';
import { ErrorBanner } from './components/ErrorBanner';
import { HostBadge } from './components/HostBadge';
import { VaultsEmptyState } from './components/VaultsEmptyState';
import { useAppStore } from './stores/app-store';

export function App() {
  const { info, engine, checking, progress, error, loadInfo, checkEngine } = useAppStore();

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
        <HostBadge info={info} />
      </header>
      <main className="app-main">
        {error && <ErrorBanner error={error} />}
        <VaultsEmptyState />
        <EngineStatusPanel status={engine} checking={checking} progress={progress} onRecheck={() => void checkEngine()} />
      </main>
      <footer className="app-footer">
        <span>No network: everything stays on this machine.</span>
        {info && <span>v{info.version}</span>}
      </footer>
    </div>
  );
}
