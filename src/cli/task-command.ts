// Commands whose first word names a task (`mmtrack eval mot`, `mmtrack analyze-logs plot_curve`): each task declares
// its arguments; help, parsing and the "unknown task" message are shared.
import { type ArgsSpec, type FlagSpecs, helpText, parseCommandArgs, type ParsedArgs, usageLine } from './args.ts';
import { type CliIo, type Command, UserError } from './command.ts';

export interface Task<F extends FlagSpecs = FlagSpecs> {
  name: string;
  /** What the task does (help). */
  help: string;
  spec: ArgsSpec<F>;
  run(args: ParsedArgs<F>, io: CliIo): Promise<number>;
}

/** Keeps a task's flag types when several tasks with different flags sit in one list. */
export const task = <F extends FlagSpecs>(t: Task<F>): Task => t;

export function taskCommand(options: { name: string; summary: string; description: string; tasks: Task[]; footer?: string }): Command {
  const { name, tasks } = options;
  const names = tasks.map((t) => t.name).join(', ');
  const help = helpText({
    usage: tasks.map((t) => usageLine(`${name} ${t.name}`, t.spec)),
    description: `${options.description.trim()}\n\n${tasks.map((t) => `  ${t.name}: ${t.help.trim().replace(/\n/g, '\n    ')}`).join('\n')}`,
    variants: tasks.map((t) => ({ title: `${name} ${t.name}`, spec: t.spec })),
    ...(options.footer ? { footer: options.footer } : {}),
  });
  return {
    name,
    summary: options.summary,
    help,
    run(args, io) {
      const [first, ...rest] = args;
      const t = tasks.find((x) => x.name === first);
      if (!t) throw new UserError(`${first === undefined ? 'missing task' : `unknown task '${first}'`}: use ${names} (run mmtrack ${name} --help)`);
      return t.run(parseCommandArgs(`${name} ${t.name}`, t.spec, rest, io), io);
    },
  };
}
