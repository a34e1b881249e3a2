/**
 * A `type`-keyed registry like MMCV's `Registry`/`build_from_cfg`
 * (https://github.com/open-mmlab/mmcv/blob/v1.7.0/mmcv/utils/registry.py): detectors, trackers, datasets, metrics
 * and pipelines register under their config `type`, and `build(cfg)` makes one from a config dict.
 *
 * Unlike MMCV's `**kwargs` constructors, every type declares its parameters ({@link param}); the constructor gets
 * exactly those keys (defaults filled in), and a key it does not declare is an error that lists the accepted keys.
 *
 * ```ts
 * const TRACKERS = new Registry<Tracker>('trackers');
 * TRACKERS.register('ByteTracker', {
 *   params: { obj_score_thrs: param.dict(), weight_iou_with_det_scores: param.boolean().default(true) },
 *   create: (args) => new ByteTracker(args),
 * });
 * const tracker = TRACKERS.build(config.model.tracker, { path: 'model.tracker' });
 * ```
 */
import { ConfigError, type SourceLocation } from './config-error.ts';
import { type ConfigDict, type ConfigValue, isConfigDict, previewValue } from './config-value.ts';
import type { ParamShape, ParamValues } from './params.ts';
import { configOrigin } from './python-evaluator.ts';

export interface BuildContext {
  /** Dotted path of the dict being built (`model.tracker`), for messages of nested builds. */
  path: string;
  /** Where the dict was written, when it came from a `.py` config. */
  origin: SourceLocation | undefined;
}

export interface TypeSpec<T, P extends ParamShape> {
  /** The keys the type accepts besides `type`. */
  params: P;
  create(args: ParamValues<P>, context: BuildContext): T;
}

export interface BuildOptions {
  /** Dotted path of `cfg` in the whole config, for messages. Default: the registry's name. */
  path?: string;
  /** MMCV's `default_args`: keys used where `cfg` leaves them out. */
  defaults?: ConfigDict;
}

export class Registry<T> {
  private readonly specs = new Map<string, TypeSpec<T, ParamShape>>();

  constructor(readonly name: string) {}

  /** Registers `type`; registering the same name twice is a programming error. */
  register<P extends ParamShape>(type: string, spec: TypeSpec<T, P>): this {
    if (this.specs.has(type)) throw new Error(`registry '${this.name}': type '${type}' is already registered`);
    this.specs.set(type, spec);
    return this;
  }

  has(type: string): boolean {
    return this.specs.has(type);
  }

  /** Registered type names, sorted. */
  get types(): string[] {
    return [...this.specs.keys()].sort();
  }

  /** The declared parameters of `type` (for docs and UIs). */
  paramsOf(type: string): ParamShape | undefined {
    return this.specs.get(type)?.params;
  }

  /** Builds an object from a config dict `{ type: NAME, ...params }`. Throws {@link ConfigError} on any mismatch. */
  build(cfg: ConfigValue | undefined, options: BuildOptions = {}): T {
    const path = options.path ?? this.name;
    const origin = configOrigin(cfg);
    const fail = (problem: string): never => {
      throw new ConfigError(`${path}: ${problem}`, origin);
    };
    if (!isConfigDict(cfg)) return fail(`expected a dict with a 'type' key (registry '${this.name}'), got ${cfg === undefined ? 'nothing' : previewValue(cfg)}`);
    const args: ConfigDict = { ...options.defaults, ...cfg };
    const type = args.type;
    if (type === undefined) return fail(`missing 'type'; registry '${this.name}' knows: ${this.knownTypes()}`);
    if (typeof type !== 'string') return fail(`'type' must be a string, got ${previewValue(type)}`);
    const spec = this.specs.get(type);
    if (!spec) {
      const close = suggest(type, this.types);
      return fail(`unknown type '${type}' in registry '${this.name}'${close ? ` (did you mean '${close}'?)` : ''}; known types: ${this.knownTypes()}`);
    }
    const declared = Object.keys(spec.params);
    const unknown = Object.keys(args).filter((k) => k !== 'type' && !Object.hasOwn(spec.params, k));
    if (unknown.length > 0) {
      const hints = unknown.map((k) => {
        const close = suggest(k, declared);
        return close ? `'${k}' (did you mean '${close}'?)` : `'${k}'`;
      });
      return fail(`${type} does not accept ${unknown.length === 1 ? 'key' : 'keys'} ${hints.join(', ')}; accepted keys: ${declared.join(', ') || 'none'}`);
    }
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [key, p] of Object.entries(spec.params)) {
      const r = p.read(args[key]);
      if (r.ok) values[key] = r.value;
      else problems.push(`${key}: ${r.problem}`);
    }
    if (problems.length > 0) return fail(`${type}: ${problems.join('; ')}`);
    return spec.create(values, { path, origin });
  }

  private knownTypes(): string {
    return this.types.join(', ') || '(none registered)';
  }
}

/** The closest name by edit distance, when it is close enough to be a likely typo. */
function suggest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
