import { parseCfgOptions } from '../../core/config/cfg-options.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { type ConfigDict, configToJson, pythonFloatText } from '../../core/config/config-value.ts';
import { type ArgsSpec, CFG_OPTIONS_FLAG, helpText, parseCommandArgs, usageLine } from '../args.ts';
import type { Command } from '../command.ts';
import { nodeConfigFs } from '../../core/config/node-config-fs.node.ts';

const spec = {
  positionals: [{ name: 'CONFIG', help: 'a .py, .json or .yaml config file', variadic: true }],
  flags: {
    'cfg-options': {
      ...CFG_OPTIONS_FLAG,
      help: 'override settings: a.b.c=value, list items by index (data.train.pipeline.0.type=X), lists/tuples as [a,b] or "[(a,b),(c,d)]" (no spaces); numbers, true/false and None are parsed, anything else is a string',
    },
  },
} satisfies ArgsSpec;

const help = helpText({
  usage: [usageLine('print-config', spec)],
  description: `Prints the fully merged config (its _base_ files merged in, --cfg-options applied) as JSON with sorted keys,
like MMTracking's tools/misc/print_config.py. The config is parsed, never executed. With several CONFIGs, prints
one JSON object mapping each CONFIG (as given) to its merged config; the options apply to each.`,
  variants: [{ spec }],
});

export const printConfigCommand: Command = {
  name: 'print-config',
  summary: 'print the merged config (bases + --cfg-options) as JSON',
  help,
  async run(args, io) {
    const { positionals: configs, flags } = parseCommandArgs('print-config', spec, args, io);
    const options = flags['cfg-options'];
    const cfgOptions = parseCfgOptions(options);
    const merged: ConfigDict = {};
    for (const config of configs) merged[config] = (await loadConfig(config, nodeConfigFs, { cfgOptions })).config;
    const warn = (path: string, v: number) => io.stderr(`warning: ${path}: ${pythonFloatText(v)} has no JSON form; printed as null\n`);
    io.stdout(`${configToJson(configs.length === 1 ? (merged[configs[0] as string] as ConfigDict) : merged, 2, warn)}\n`);
    return 0;
  },
};
