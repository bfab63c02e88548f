import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { trackActivity } from './activity';
import { App } from './App';
import { invoke } from './lifeboat-client';
import { forgetOnLock } from './stores/forget-on-lock';
import { useSessionStore } from './stores/session-store';

// What was read from a vault is dropped from every store when its session ends.
forgetOnLock();

// The person at work keeps the vault open: while one is, activity in the window is reported to main
// with the vault:activity heartbeat (main restarts its idle timer; see activity.ts).
trackActivity(window, () => {
  if (useSessionStore.getState().session === null) {
    return false;
  }
  void invoke('vault:activity', {});
  return true;
});

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
