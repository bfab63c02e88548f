import type { LifeboatErrorShape } from '../../../shared/errors';

export function ErrorBanner({ error }: { error: LifeboatErrorShape }) {
  return (
    <div className="banner banner-error" role="alert">
      <strong>{error.message}</strong>
      <code className="error-code">{error.code}</code>
    </div>
  );
}
