// Whether dist/ was built from the sources as they are now (issue 19, "Time to
// the unlock screen"): `npm start` rebuilt everything on every start (about
// 14 s here before the window opened); it now builds only when an input of the
// build changed since the last successful build.
//
// The inputs: every file under electron/, shared/ and renderer/ (tests too,
// harmlessly: a changed test rebuilds), and the build's configuration at the
// root (package.json, package-lock.json, tsconfig*.json, vite.config.*). Their
// fingerprint is SHA-256 over each path and its content, in path order; a
// successful build writes it to dist/.build-inputs. Content, not mtimes, so a
// checkout or a touched file that did not change builds nothing, and a change
// with an old mtime (a restored backup) is still seen.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SOURCE_DIRS = ['electron', 'shared', 'renderer'];
const ROOT_FILE = /^(?:package(?:-lock)?\.json|tsconfig[\w.-]*\.json|vite\.config\.[cm]?[jt]s)$/u;
/** What a complete build leaves: the main process's entry and the window's page. */
const OUTPUTS = ['dist/node/electron/start.js', 'dist/renderer/index.html'];
export const STAMP = 'dist/.build-inputs';

function filesUnder(root, dir, into) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      filesUnder(root, path, into);
    } else if (entry.isFile()) {
      into.push(path);
    }
  }
}

/** The build inputs' fingerprint (hex), for the checkout at `root`. */
export function buildInputsFingerprint(root) {
  const files = [];
  for (const dir of SOURCE_DIRS) {
    if (existsSync(join(root, dir))) {
      filesUnder(root, dir, files);
    }
  }
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isFile() && ROOT_FILE.test(entry.name)) {
      files.push(entry.name);
    }
  }
  const hash = createHash('sha256');
  for (const path of files.map((f) => relative(root, join(root, f)).split('\\').join('/')).sort()) {
    const content = readFileSync(join(root, path));
    hash.update(`${path}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/** True when dist/ holds a complete build of exactly these inputs. */
export function buildIsCurrent(root) {
  if (!OUTPUTS.every((path) => existsSync(join(root, path))) || !existsSync(join(root, STAMP))) {
    return false;
  }
  return readFileSync(join(root, STAMP), 'utf8').trim() === buildInputsFingerprint(root);
}

/** Called after a successful build: these inputs are what dist/ now holds. */
export function recordBuild(root, fingerprint = buildInputsFingerprint(root)) {
  writeFileSync(join(root, STAMP), `${fingerprint}\n`);
}
