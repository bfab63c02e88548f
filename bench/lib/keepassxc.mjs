// Driving keepassxc-cli. The password always goes in on standard input:
// keepassxc-cli reads it from stdin when stdin is not a terminal (checked:
// `echo PW | keepassxc-cli db-info DB` opens; `db-create -p` and `import -p`
// read it twice, "Enter password" and "Repeat password").
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export const KEEPASSXC = process.env.KEEPASSXC_CLI ?? 'keepassxc-cli';

/** The installed version, or null when keepassxc-cli is not there. */
export function keepassxcVersion() {
  const r = spawnSync(KEEPASSXC, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Runs keepassxc-cli once; wall time from spawn to exit. */
export function kpx(args, stdin = '') {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(KEEPASSXC, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - t0, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Like kpx, but a non-zero exit is an error naming the command. */
export async function kpxOk(args, stdin = '') {
  const r = await kpx(args, stdin);
  if (r.code !== 0) {
    throw new Error(`keepassxc-cli ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  }
  return r;
}

/**
 * An interactive `keepassxc-cli open` session: the database is decrypted
 * once, then each command's latency is measured from writing the line to
 * the next prompt. (Commands must be sent only after the previous prompt:
 * keepassxc-cli reads the password with a buffered reader.)
 */
export class KeePassSession {
  constructor(dbPath, promptName) {
    this.prompt = `${promptName}> `;
    this.child = spawn(KEEPASSXC, ['open', dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.out = '';
    this.err = '';
    this.waiter = null;
    this.child.stdout.on('data', (d) => {
      this.out += d;
      this.check();
    });
    this.child.stderr.on('data', (d) => {
      this.err += d;
      this.check();
    });
    this.exited = new Promise((resolve) => this.child.on('close', resolve));
  }

  check() {
    if (this.waiter && this.waiter.test()) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve();
    }
  }

  waitFor(test, what, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`keepassxc-cli: no ${what} after ${timeoutMs} ms; stderr: ${this.err.slice(-300)}`)), timeoutMs);
      this.waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.check();
    });
  }

  /** Waits for the password prompt, then times password → first prompt (KDF, decrypt, parse). */
  async unlock(password) {
    await this.waitFor(() => this.err.includes('Enter password'), 'password prompt');
    const t0 = performance.now();
    this.out = '';
    this.child.stdin.write(`${password}\n`);
    await this.waitFor(() => this.out.endsWith(this.prompt), 'prompt after the password');
    return performance.now() - t0;
  }

  /** One command; returns { ms, output } (output without the echo and the prompt). */
  async command(line) {
    this.out = '';
    const t0 = performance.now();
    this.child.stdin.write(`${line}\n`);
    await this.waitFor(() => this.out.endsWith(this.prompt), `prompt after "${line}"`);
    const ms = performance.now() - t0;
    return { ms, output: this.out.slice(0, -this.prompt.length) };
  }

  async close() {
    this.child.stdin.end('exit\n');
    await this.exited;
  }
}

/** A query as one keepassxc-cli interactive argument (quoted: it may hold a space). */
export function quoteArg(text) {
  return `"${text.replace(/["\\]/g, '')}"`;
}
