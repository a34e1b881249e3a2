import { type CliIo, type Command, processIo } from './command.ts';
import { isUserInputError } from './user-errors.ts';
import { analyzeLogsCommand } from './commands/analyze-logs.ts';
import { detectCommand } from './commands/detect.ts';
import { evalCommand } from './commands/eval.ts';
import { printConfigCommand } from './commands/print-config.ts';
import { reportCommand } from './commands/report.ts';
import { searchParamsCommand } from './commands/search-params.ts';
import { testCommand } from './commands/test.ts';
import { batchCommand } from './commands/batch.ts';
import { compareCommand } from './commands/compare.ts';
import { trackCommand } from './commands/track.ts';

/** Sub-commands, in the order `--help` lists them. Later issues add theirs here. */
export const commands: Command[] = [printConfigCommand, detectCommand, evalCommand, analyzeLogsCommand, reportCommand, trackCommand, testCommand, batchCommand, searchParamsCommand, compareCommand];

function helpText(): string {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'usage: mmtrack COMMAND [ARGS...]',
    '',
    "MMTracking's tools on mmtrack-web's core.",
    '',
    'commands:',
    ...(lines.length ? lines : ['  (none yet)']),
    '',
    'Run `mmtrack COMMAND --help` for the options of one command.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`mmtrack: unknown command '${name}'. Known commands: ${commands.map((c) => c.name).join(', ') || 'none'}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // Input the user gave that cannot be used: the message names the file; no stack trace.
    if (isUserInputError(err)) {
      io.stderr(`mmtrack ${name}: ${(err).message}\n`);
      return 2;
    }
    // Anything else is our bug: one line that says so, the stack only when asked for (MMTRACK_DEBUG=1).
    const debug = typeof process !== 'undefined' && process.env.MMTRACK_DEBUG === '1';
    io.stderr(`mmtrack ${name}: internal error: ${err instanceof Error ? err.message : String(err)} (please report it; MMTRACK_DEBUG=1 shows where)\n`);
    if (debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 1;
  }
}
