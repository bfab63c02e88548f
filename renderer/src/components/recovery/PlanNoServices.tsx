/** The empty state of the plan and readiness tabs: what a service record is and how one gets here. */
export function PlanNoServices({ what }: { what: string }) {
  return (
    <section className="card empty-state recovery-empty" data-testid="recovery-empty">
      <h2>No services yet</h2>
      <p>
        {what} is built from <strong>service records</strong>. A service record describes one system you recover: its tier, owner, RTO and RPO, how it comes
        back (restore, rebuild, redeploy or fail over) and the services it depends on. Runbooks name the service they recover, and their estimates become the
        plan’s times.
      </p>
      <p className="muted">
        Add services with a catalog sync (the Sync tab), or in the Library with <strong>+ New record → Service</strong>.
      </p>
    </section>
  );
}
