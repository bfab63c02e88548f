/**
 * The share files of `shares practice` and `unlock-quorum`: a recovery
 * sheet's .txt file (the share is its line of 20 groups of 5 characters) or a
 * file holding only the share. Each file is checked on its own first, so an
 * error names the file rather than "Share 2".
 */
import { readFile } from 'node:fs/promises';
import { LifeboatError } from '../../shared/errors.js';
import { normalizeShareText } from '../../shared/share-groups.js';
import { checkLabelledShares } from '../operations/quorum.js';
import type { OptionSpec } from './verb.js';

/** `shares practice` and `unlock-quorum` take one per custodian present. */
export const SHARE_FILE_OPTION = {
  type: 'string',
  value: 'F',
  multiple: true,
  help: "a custodian's share: their sheet's .txt file, or a file holding only the share (one per custodian)",
} as const satisfies OptionSpec;

/** One line of a sheet's .txt file, or a typed share: 20 groups of 5 letters or digits. */
const SHARE_LINE = /^[ \t]*[0-9a-z]{5}(?:[ \t-]+[0-9a-z]{5}){19}[ \t]*$/i;
/** A file holding only a share (however it is spaced or broken into lines). */
const BARE_SHARE = /^[0-9a-z\s-]+$/i;

interface ShareFile {
  file: string;
  text: string;
}

async function readShareFile(file: string): Promise<ShareFile> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch {
    throw new LifeboatError('VAULT_BAD_INPUT', `Could not read the share file ${file}.`);
  }
  const lines = [
    ...new Set(
      content
        .split(/\r?\n/)
        .filter((line) => SHARE_LINE.test(line))
        .map(normalizeShareText),
    ),
  ];
  if (lines.length > 1) {
    throw new LifeboatError('SHARE_INVALID', `${file} holds ${lines.length} different shares; give each its own --share-file.`);
  }
  const line = lines[0];
  if (line !== undefined) {
    return { file, text: line };
  }
  if (content.trim() === '') {
    throw new LifeboatError('SHARE_INVALID', `${file} is empty: it should hold a share (a recovery sheet's .txt file, or only the share).`);
  }
  if (BARE_SHARE.test(content)) {
    // The engine names what is wrong with it (length, a character, a group).
    return { file, text: content };
  }
  throw new LifeboatError(
    'SHARE_INVALID',
    `${file} holds no share: expected a line of 20 groups of 5 characters, as in a recovery sheet's .txt file, or a file with only the share.`,
  );
}

/**
 * Checks every share file against the vault's current set before anything
 * is combined, so a typo, a rotated sheet or the same sheet twice is named by
 * file. The engine checks them all again when it combines them.
 */
export async function checkShareFiles(dir: string, paths: readonly string[]): Promise<{ texts: string[]; custodians: string[] }> {
  const files = await Promise.all(paths.map(readShareFile));
  const checked = await checkLabelledShares(
    dir,
    files.map(({ file, text }) => ({ label: file, text })),
  );
  return { texts: files.map((f) => f.text), custodians: checked.map((c) => c.custodian) };
}

/** The --share-file values: at least one. */
export function shareFiles(values: readonly string[] | undefined, usage: string): string[] {
  if (values === undefined || values.length === 0) {
    throw new LifeboatError('CLI_USAGE', `Missing --share-file (one per custodian present). Usage: ${usage}`);
  }
  return [...values];
}
