/**
 * lifeboat help [COMMAND [SUB-COMMAND]]: the list of commands, or one
 * command's usage and options, both written from the verbs' declarations.
 */
import { overviewHelp, verbHelp } from '../help-text.js';
import { defineVerb, findVerb, subcommandOf, unknownCommand, type CliVerb } from '../verb.js';

/** The help verb reads the registry it is part of, so the registry hands it over (loading every verb). */
export function helpVerb(verbs: () => Promise<readonly CliVerb[]>): CliVerb {
  return defineVerb({
    name: 'help',
    aliases: ['--help', '-h'],
    group: 'other',
    summary: "the list of commands, or one command's usage and options",
    usage: [{ line: 'help [COMMAND]', note: "show this help, or a command's usage and options" }],
    options: {},
    async run(ctx, { positionals }) {
      const [name, subcommand, ...more] = positionals;
      if (name === undefined) {
        ctx.io.out(overviewHelp(await verbs()));
        return 0;
      }
      const verb = findVerb(await verbs(), name);
      if (verb === undefined || (subcommand !== undefined && subcommandOf(verb, subcommand) === undefined) || more.length > 0) {
        throw unknownCommand(positionals.join(' '));
      }
      ctx.io.out(verbHelp(verb, subcommand));
      return 0;
    },
  });
}
