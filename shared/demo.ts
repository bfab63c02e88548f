/** The name the demo vault carries, so every screen can mark it as sample data. */
export const DEMO_VAULT_NAME = 'Demo vault (sample data)';
