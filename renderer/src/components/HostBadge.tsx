import type { AppInfo } from '../../../shared/contract';

const HOST_LABELS: Record<AppInfo['host'], { label: string; title: string }> = {
  electron: { label: 'Desktop app', title: 'Running in the Lifeboat desktop shell.' },
  browser: {
    label: 'Browser host',
    title: 'Running in a local Chromium because the Electron binary is not installed. Same engine, same checks.',
  },
};

export function HostBadge({ info }: { info: AppInfo | null }) {
  if (!info) {
    return <span className="badge badge-muted">Connecting…</span>;
  }
  const host = HOST_LABELS[info.host];
  return (
    <span className="badge" title={host.title} data-testid="host-badge">
      {host.label} · {info.platform}
    </span>
  );
}
