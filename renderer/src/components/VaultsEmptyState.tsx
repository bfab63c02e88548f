export function VaultsEmptyState() {
  return (
    <section className="card empty-state" aria-labelledby="vaults-heading">
      <h2 id="vaults-heading">Vaults</h2>
      <p>No vault is open.</p>
      <p className="muted">
        Creating and opening encrypted vaults is not part of this build yet. The checks on the right show that the
        cryptography and database Lifeboat will rely on work on this machine, offline.
      </p>
    </section>
  );
}
