// Shared by the commands that take `CONFIG [--flag value ...] [--cfg-options K=V ...]` and dispatch on the config.
import { parseCfgOptions } from '../core/config/cfg-options.ts';
import { ConfigError } from '../core/config/config-error.ts';
import type { ConfigDict } from '../core/config/config-value.ts';
import { loadConfig } from '../core/config/config-loader.ts';
import { UserError } from './command.ts';
import { nodeConfigFs } from '../core/config/node-config-fs.node.ts';

/**
 * Splits CONFIG and `--cfg-options ...` from the flags the command's runner reads (each flag keeps its value, except
 * those in `switches`, which take none).
 */
export function splitConfigArgs(args: string[], usage: string, switches: readonly string[] = []): { config: string; options: string[]; rest: string[] } {
  let config: string | undefined;
  const options: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--cfg-options') {
      while (i + 1 < args.length && !(args[i + 1] as string).startsWith('--')) options.push(args[++i] as string);
    } else if (a.startsWith('--')) {
      rest.push(a);
      if (!switches.includes(a) && i + 1 < args.length && !(args[i + 1] as string).startsWith('--')) rest.push(args[++i] as string);
    } else if (config === undefined) config = a;
    else throw new UserError(`unexpected argument '${a}'\n${usage}`);
  }
  if (config === undefined) throw new UserError(`missing CONFIG\n${usage}`);
  return { config, options, rest };
}

/** Loads a config with `--cfg-options` applied; config problems become `UserError`s (exit 2). */
export async function loadCliConfig(path: string, options: string[]): Promise<ConfigDict> {
  try {
    return (await loadConfig(path, nodeConfigFs, { cfgOptions: parseCfgOptions(options) })).config;
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
}
