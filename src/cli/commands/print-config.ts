import { parseCfgOptions } from '../../core/config/cfg-options.ts';
import { ConfigError } from '../../core/config/config-error.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { type ConfigDict, configToJson } from '../../core/config/config-value.ts';
import { type Command, UserError } from '../command.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';

const usage = `usage: mmtrack print-config CONFIG [CONFIG ...] [--cfg-options KEY=VALUE [KEY=VALUE ...]]

Prints the fully merged config (its _base_ files merged in, --cfg-options applied) as JSON with sorted keys,
like MMTracking's tools/misc/print_config.py. The config is parsed, never executed. With several CONFIGs, prints
one JSON object mapping each CONFIG (as given) to its merged config; the options apply to each.

  CONFIG          a .py, .json or .yaml config file
  --cfg-options   override settings: a.b.c=value, list items by index (data.train.pipeline.0.type=X),
                  lists/tuples as [a,b] or "[(a,b),(c,d)]" (no spaces); numbers, true/false and None are
                  parsed, anything else is a string
`;

/** Splits `CONFIG... [--cfg-options K=V ...]` the way MMTracking's argparse setup (nargs='+') does. */
function parseArgs(args: string[]): { configs: string[]; options: string[] } {
  const configs: string[] = [];
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--cfg-options' || arg.startsWith('--cfg-options=')) {
      const inline = arg.startsWith('--cfg-options=') ? [arg.slice('--cfg-options='.length)] : [];
      const values = [...inline];
      while (i + 1 < args.length && !(args[i + 1] as string).startsWith('--')) values.push(args[++i] as string);
      if (values.length === 0) throw new UserError('--cfg-options needs at least one KEY=VALUE');
      options.push(...values);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UserError(`unknown option '${arg}'\n${usage}`);
    } else {
      configs.push(arg);
    }
  }
  if (configs.length === 0) throw new UserError(`missing CONFIG\n${usage}`);
  return { configs, options };
}

export const printConfigCommand: Command = {
  name: 'print-config',
  summary: 'print the merged config (bases + --cfg-options) as JSON',
  usage,
  async run(args, io) {
    const { configs, options } = parseArgs(args);
    try {
      const cfgOptions = parseCfgOptions(options);
      const merged: ConfigDict = {};
      for (const config of configs) merged[config] = (await loadConfig(config, nodeConfigFs, { cfgOptions })).config;
      io.stdout(`${configToJson(configs.length === 1 ? (merged[configs[0] as string] as ConfigDict) : merged)}\n`);
      return 0;
    } catch (err) {
      if (err instanceof ConfigError) throw new UserError(err.message);
      throw err;
    }
  },
};
