// What every `izisales` command shares: its I/O, the argument parser and the mapping of errors to exit codes
// (bad arguments exit 2 with one line; other errors exit 1).

/** Raw writes: a command ends each line with "\n" itself. */
export interface CommandIo {
  stdout(s: string): void;
  stderr(s: string): void;
}
export type Command = (argv: string[], io: CommandIo) => Promise<number>;

export class UsageError extends Error {}

export type OptionKind = 'value' | 'flag' | 'multi';

/**
 * The options every command takes, decided here once (README: "Every command takes --data DIR"). A command that does
 * not read the data directory (sunat-sim, document send|status, cdr read) accepts it and leaves it unused.
 */
export const COMMON_OPTIONS: Readonly<Record<string, OptionKind>> = { data: 'value' };

/**
 * `--name value` / `--name=value` / bare flags; positionals kept in order; unknown options refused. `known` lists the
 * command's own options; the common ones (COMMON_OPTIONS) are always known.
 * `opts` holds the last value of each option ('true' for a flag), `lists` every value of a `multi` option.
 */
export function parseArgs(argv: string[], own: Record<string, OptionKind>): { opts: Record<string, string>; lists: Record<string, string[]>; rest: string[] } {
  const known = { ...COMMON_OPTIONS, ...own };
  const opts: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    const kind = known[name];
    if (!kind) throw new UsageError(`opción desconocida: --${name}`);
    let value = 'true';
    if (kind !== 'flag') {
      value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`falta el valor de --${name}`);
    }
    opts[name] = value;
    (lists[name] ??= []).push(value);
  }
  return { opts, lists, rest };
}

/** Refuses positionals a command does not take. */
export function noPositionals(rest: string[]): void {
  if (rest.length > 0) throw new UsageError(`argumento inesperado: ${rest[0]}`);
}

/** Wraps a command so a UsageError exits 2 and any other error exits 1, each with one line. */
export function command(fn: Command): Command {
  return async (argv, io) => {
    try {
      return await fn(argv, io);
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`izisales: ${e.message}\n`);
        return 2;
      }
      io.stderr(`izisales: ${(e as Error).message.split('\n')[0]}\n`);
      return 1;
    }
  };
}
