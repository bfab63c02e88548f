// `npm start`'s first step: build only when an input changed since the last
// successful build (scripts/build-inputs.mjs), so a second start opens the
// window at once. `--force` builds anyway.
import { spawnSync } from 'node:child_process';
import { buildInputsFingerprint, buildIsCurrent, recordBuild } from './build-inputs.mjs';

const root = process.cwd();
if (!process.argv.includes('--force') && buildIsCurrent(root)) {
  process.stdout.write('dist/ is current: not rebuilding.\n');
} else {
  // Fingerprinted before building: a file edited during the build is seen at the next start.
  const fingerprint = buildInputsFingerprint(root);
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) {
    process.exit(build.status ?? 1);
  }
  recordBuild(root, fingerprint);
}
