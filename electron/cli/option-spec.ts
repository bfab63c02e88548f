/**
 * What an option of a `lifeboat` verb declares: its type, its value's name
 * in help, and its help line (verb.ts builds parsing and help from these).
 * On its own so the shared options (cli-context.ts) can be declared without
 * importing the verb machinery that uses them.
 */

/** One option: a flag, or an option taking a value (repeatable when `multiple`). */
export type OptionSpec =
  | { readonly type: 'boolean'; readonly help: string }
  | {
      readonly type: 'string';
      /** The value's name in help: `--out FILE`. */
      readonly value: string;
      readonly multiple?: boolean;
      readonly help: string;
    };

export type OptionTable = Readonly<Record<string, OptionSpec>>;
