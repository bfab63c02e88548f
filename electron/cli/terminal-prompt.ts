/**
 * The passphrase prompt on the process's own terminal, without echo. Apart
 * from passphrase-input.ts so that the dispatcher (run-cli.ts) can make one
 * without loading the engine, which passphrase-input.ts warms up: a verb's
 * unlock may start before the engine loads (unlock-ahead.ts, issue #20).
 */
import { LifeboatError } from '../../shared/errors.js';

export interface PromptIo {
  isTty: boolean;
  /** Reads one line without echoing it. */
  readHidden(prompt: string): Promise<string>;
}

/** A no-echo prompt on the process's terminal. */
export function terminalPrompt(): PromptIo {
  return {
    // isTTY is undefined, not false, when not a terminal (the typings say boolean).
    isTty: (process.stdin.isTTY as boolean | undefined) === true && (process.stderr.isTTY as boolean | undefined) === true,
    readHidden(prompt) {
      return new Promise((resolve, reject) => {
        const stdin = process.stdin;
        process.stderr.write(prompt);
        stdin.setRawMode(true);
        stdin.resume();
        let value = '';
        const finish = (error?: Error): void => {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.removeListener('data', onData);
          process.stderr.write('\n');
          if (error) {
            reject(error);
          } else {
            resolve(value);
          }
        };
        const onData = (chunk: Buffer): void => {
          for (const char of chunk.toString('utf8')) {
            if (char === '\r' || char === '\n') {
              finish();
              return;
            }
            if (char === '\u0003') {
              finish(new LifeboatError('CLI_USAGE', 'Cancelled.'));
              return;
            }
            value = char === '\u007f' ? value.slice(0, -1) : value + char;
          }
        };
        stdin.on('data', onData);
      });
    },
  };
}
