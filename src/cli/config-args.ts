// Loading the CONFIG of a command, with its `--cfg-options`.
import { parseCfgOptions } from '../core/config/cfg-options.ts';
import type { ConfigDict } from '../core/config/config-value.ts';
import { loadConfig } from '../core/config/config-loader.ts';
import { nodeConfigFs } from '../core/config/node-config-fs.node.ts';

/** Loads a config with `--cfg-options` applied (config problems are ConfigErrors: exit 2, see main.ts). */
export async function loadCliConfig(path: string, options: string[]): Promise<ConfigDict> {
  return (await loadConfig(path, nodeConfigFs, { cfgOptions: parseCfgOptions(options) })).config;
}
