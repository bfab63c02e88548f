/**
 * lifeboat version: the version of this build.
 */
import { defineVerb } from '../verb.js';

export const versionVerb = defineVerb({
  name: 'version',
  aliases: ['--version', '-v'],
  group: 'other',
  summary: 'print the version',
  usage: [{ line: 'version', note: 'print the version' }],
  options: {},
  positionals: false,
  run(ctx) {
    ctx.io.out(`lifeboat ${ctx.version}\n`);
    return 0;
  },
});
