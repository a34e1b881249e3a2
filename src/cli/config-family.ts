// Commands that load CONFIG first and let its `model.type` pick the task family (`track`, `search-params`, as
// MMTracking's demo_sot.py / demo_mot_vis.py are chosen by the config). One flag spec for the command; each family
// says which of its flags apply, and a flag of another family is an error naming it.
import type { ConfigDict } from '../core/config/config-value.ts';
import { getConfigPath, previewValue } from '../core/config/config-value.ts';
import { type ArgsSpec, type FlagSpecs, helpText, parseCommandArgs, type ParsedArgs, usageLine } from './args.ts';
import { type CliIo, type Command, UserError } from './command.ts';
import { loadCliConfig } from './config-args.ts';

export interface ConfigFamily<F extends FlagSpecs> {
  name: string;
  modelTypes: readonly string[];
  /** The flags this family takes (`cfg-options` always applies). */
  flags: ReadonlyArray<keyof F & string>;
  run(config: ConfigDict, flags: ParsedArgs<F>['flags'], io: CliIo): Promise<number>;
}

export function configFamilyCommand<F extends FlagSpecs & { 'cfg-options': { type: 'list' } }>(options: {
  name: string;
  summary: string;
  description: string;
  spec: ArgsSpec<F>;
  families: ReadonlyArray<ConfigFamily<F>>;
  footer?: string;
}): Command {
  const { name, spec, families } = options;
  return {
    name,
    summary: options.summary,
    help: helpText({ usage: [usageLine(name, spec)], description: options.description, variants: [{ spec }], ...(options.footer ? { footer: options.footer } : {}) }),
    async run(args, io) {
      const { positionals, flags } = parseCommandArgs(name, spec, args, io);
      const path = positionals[0]!;
      const config = await loadCliConfig(path, (flags as Record<string, unknown>)['cfg-options'] as string[]);
      const type = getConfigPath(config, 'model.type');
      const family = typeof type === 'string' ? families.find((f) => f.modelTypes.includes(type)) : undefined;
      if (!family) {
        const supported = families.map((f) => `${f.name} (${f.modelTypes.join(', ')})`).join('; ');
        const what = typeof type === 'string' ? `'${type}'` : type === undefined ? 'is missing' : `is not a string (${previewValue(type)})`;
        throw new UserError(`${path}: model.type ${what}: mmtrack ${name} runs ${supported}`);
      }
      const given = (k: string) => {
        const v = (flags as Record<string, unknown>)[k];
        return v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
      };
      const foreign = Object.keys(spec.flags).filter((k) => k !== 'cfg-options' && !family.flags.includes(k) && given(k));
      if (foreign.length) throw new UserError(`${foreign.map((k) => `--${k}`).join(', ')} ${foreign.length === 1 ? 'does' : 'do'} not apply to ${family.name} (${path} is ${type as string})`);
      return family.run(config, flags, io);
    },
  };
}
