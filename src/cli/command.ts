/** One `mmtrack` sub-command. `run` returns the process exit code (0 ok, 2 user error). */
export interface Command {
  name: string;
  /** One line for `mmtrack --help`. */
  summary: string;
  /** `mmtrack NAME --help` (made by args.ts's helpText, one format for every command). */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Output streams, injectable so tests can capture them. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** An error caused by the user's input (bad file, bad flag): printed without a stack, exit code 2. */
export class UserError extends Error {
  override name = 'UserError';
}
