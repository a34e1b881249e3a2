// Loading the CONFIG of a command, with its `--cfg-options`.
import { parseCfgOptions } from '../core/config/cfg-options.ts';
import { ConfigError } from '../core/config/config-error.ts';
import type { ConfigDict } from '../core/config/config-value.ts';
import { loadConfig } from '../core/config/config-loader.ts';
import { UserError } from './command.ts';
import { nodeConfigFs } from '../core/config/node-config-fs.node.ts';

/** Loads a config with `--cfg-options` applied; config problems become `UserError`s (exit 2). */
export async function loadCliConfig(path: string, options: string[]): Promise<ConfigDict> {
  try {
    return (await loadConfig(path, nodeConfigFs, { cfgOptions: parseCfgOptions(options) })).config;
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(err.message);
    throw err;
  }
}
