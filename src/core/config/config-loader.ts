/**
 * Loads an MMCV 1.x config file with its `_base_` chain, like `mmcv.Config.fromfile`
 * (https://github.com/open-mmlab/mmcv/blob/v1.7.0/mmcv/utils/config.py, `_file2dict`), without executing Python:
 *
 * 1. the file is parsed (`.py` by {@link parsePythonConfig}, `.json`, `.yaml`/`.yml`);
 * 2. its `_base_` (a path or a list of paths, relative to the file) are loaded recursively and merged in order;
 *    the same top-level key in two bases is an error;
 * 3. the file's own keys are merged into the bases ({@link mergeConfig}: dicts merge, the rest replaces,
 *    `_delete_=True` replaces a dict);
 * 4. `--cfg-options` are applied last ({@link applyCfgOptions}).
 *
 * `{{ _base_.a.b }}` in a `.py` file takes a value from the merged bases (MMCV ≥ 1.3.x).
 */
import type * as Yaml from 'yaml';
import { applyCfgOptions, type CfgOption } from './cfg-options.ts';
import { ConfigError, type SourceLocation } from './config-error.ts';
import { type ConfigFileSystem, resolveRelativePath } from './config-fs.ts';
import { BASE_KEY, type ConfigDict, type ConfigValue, DELETE_KEY, getConfigPath, isConfigDict, pythonTypeName } from './config-value.ts';
import { mergeConfig } from './merge.ts';
import { assertSafeKey, configOrigin, evaluatePythonConfig } from './python-evaluator.ts';
import type { PythonModule } from './python-ast.ts';
import { MAX_NESTING, parsePythonConfig } from './python-parser.ts';

export interface LoadConfigOptions {
  /** `--cfg-options` entries, applied after merging (see {@link parseCfgOptions}). */
  cfgOptions?: readonly CfgOption[];
}

export interface LoadedConfig {
  /** The fully merged config. */
  config: ConfigDict;
  /** Every file read, in the order they were read (the config itself first). */
  files: string[];
}

/** Loads `path` and its bases through `fs`; every problem is a {@link ConfigError} naming the file and place. */
export async function loadConfig(path: string, fs: ConfigFileSystem, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const loader = new ConfigLoader(fs);
  let config = await loader.load(path, [], undefined);
  if (options.cfgOptions && options.cfgOptions.length > 0) config = applyCfgOptions(config, options.cfgOptions);
  return { config, files: loader.files };
}

const CONFIG_EXTENSIONS = ['.py', '.json', '.yaml', '.yml'];

function extname(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

interface ParsedFile {
  /** The file's own keys, before merging bases (`_base_` removed). */
  own(bases: ConfigDict): ConfigDict;
  bases: string[];
  /** Where `_base_` is written, for messages about the bases. */
  baseLocation: SourceLocation | { file: string };
}

class ConfigLoader {
  readonly files: string[] = [];
  private readonly sources = new Map<string, string>();

  constructor(private readonly fs: ConfigFileSystem) {}

  private error(problem: string, where: SourceLocation | { file: string } | undefined): ConfigError {
    return new ConfigError(problem, where, where ? this.sources.get(where.file) : undefined);
  }

  async load(path: string, stack: string[], via: SourceLocation | { file: string } | undefined): Promise<ConfigDict> {
    const ext = extname(path);
    if (!CONFIG_EXTENSIONS.includes(ext)) {
      throw this.error(`unsupported config file type '${ext || path}': configs are .py, .json or .yaml files${via ? ` (referenced as a _base_ file: ${path})` : ''}`, via ?? { file: path });
    }
    let text: string;
    try {
      text = await this.fs.readFile(path);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw this.error(via ? `cannot read _base_ file '${path}': ${reason}` : `cannot read config file: ${reason}`, via ?? { file: path });
    }
    this.files.push(path);
    this.sources.set(path, text);
    // The YAML parser loads with the first YAML config: a .py or .json config (and the CLI's start) never pays for it.
    const yaml = ext === '.yaml' || ext === '.yml' ? await import('yaml') : null;
    const parsed = ext === '.py' ? this.parsePy(path, text) : this.parseData(path, text, ext, yaml);

    const chain = [...stack, path];
    let merged: ConfigDict = {};
    const owners = new Map<string, string>();
    for (const ref of parsed.bases) {
      const basePath = this.fs.resolve ? this.fs.resolve(path, ref) : resolveRelativePath(path, ref);
      if (chain.includes(basePath)) {
        throw this.error(`circular _base_ chain: ${[...chain, basePath].join(' -> ')}`, parsed.baseLocation);
      }
      const baseConfig = await this.load(basePath, chain, parsed.baseLocation);
      for (const key of Object.keys(baseConfig)) {
        const owner = owners.get(key);
        if (owner !== undefined) {
          throw this.error(`duplicate key '${key}' among the _base_ files: both '${owner}' and '${basePath}' define it (MMCV does not allow the same top-level key in two bases)`, parsed.baseLocation);
        }
        owners.set(key, basePath);
      }
      merged = { ...merged, ...baseConfig };
    }
    const own = parsed.own(merged);
    if (Object.hasOwn(own, DELETE_KEY)) throw this.error(`${DELETE_KEY} cannot be a top-level name; put it inside the dict that should replace its base`, { file: path });
    return mergeConfig(own, merged, {
      fail: (problem, value) => {
        throw this.error(problem, configOrigin(value) ?? { file: path });
      },
    });
  }

  private parsePy(path: string, text: string): ParsedFile {
    const module = parseCached(path, text);
    let last = -1;
    module.statements.forEach((st, i) => {
      if (st.targets.some((t) => t.name === BASE_KEY)) last = i;
    });
    if (last < 0) {
      return { bases: [], baseLocation: { file: path }, own: () => evaluatePythonConfig(module) };
    }
    const statement = module.statements[last];
    const target = statement?.targets.find((t) => t.name === BASE_KEY);
    const baseLocation: SourceLocation = { file: path, line: target?.pos.line ?? 1, col: target?.pos.col ?? 1 };
    // `_base_` is read first (MMCV runs the file, then reads it), so it may use names bound before it.
    const head = evaluatePythonConfig(module, { statementCount: last + 1 });
    const bases = this.baseList(head[BASE_KEY], baseLocation);
    return {
      bases,
      baseLocation,
      own: (merged) => {
        const own = evaluatePythonConfig(module, { hasBases: true, baseLookup: (p) => getConfigPath(merged, p.join('.')) });
        delete own[BASE_KEY];
        return own;
      },
    };
  }

  private parseData(path: string, text: string, ext: string, yaml: typeof Yaml | null): ParsedFile {
    let data: unknown;
    if (ext === '.json') {
      try {
        data = JSON.parse(text);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const at = /position (\d+)/.exec(message);
        throw this.error(`invalid JSON: ${message}`, at ? { file: path, ...lineCol(text, Number(at[1])) } : { file: path });
      }
    } else {
      let doc;
      try {
        doc = yaml!.parseDocument(text, { version: '1.1' });
      } catch (err) {
        throw this.error(`invalid YAML: ${err instanceof Error ? err.message : String(err)}`, { file: path });
      }
      const [error] = doc.errors;
      if (error) {
        const at = error.linePos ? { file: path, line: error.linePos[0].line, col: error.linePos[0].col } : { file: path };
        throw this.error(`invalid YAML: ${error.message.split('\n')[0] ?? ''}`, at);
      }
      // A tag the YAML schema does not know (PyYAML's !!python/tuple, !!python/object:...) would be dropped silently.
      const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
      if (unknownTag) {
        const tag = /Unresolved tag: (\S+)/.exec(unknownTag.message)?.[1]?.replace(/^tag:yaml\.org,2002:/, '!!') ?? 'a tag';
        const at = unknownTag.linePos ? { file: path, line: unknownTag.linePos[0].line, col: unknownTag.linePos[0].col } : { file: path };
        throw this.error(`the YAML tag ${tag} is not supported: configs are data (strings, numbers, booleans, null, lists and mappings), and Python objects are never built`, at);
      }
      try {
        data = doc.toJS({ maxAliasCount: 100 });
      } catch (err) {
        throw this.error(`invalid YAML: ${err instanceof Error ? err.message : String(err)}`, { file: path });
      }
    }
    const value = this.checkData(data, path, '');
    if (!isConfigDict(value)) throw this.error(`a config file must hold a mapping of names to values, not ${pythonTypeName(value)}`, { file: path });
    const bases = Object.hasOwn(value, BASE_KEY) ? this.baseList(value[BASE_KEY], { file: path }) : [];
    const own = { ...value };
    delete own[BASE_KEY];
    return { bases, baseLocation: { file: path }, own: () => own };
  }

  /**
   * JSON/YAML values must be plain config data (YAML timestamps, sets or binary are not), nested at most MAX_NESTING
   * levels (a YAML alias that contains itself never ends).
   */
  private checkData(data: unknown, path: string, at: string, depth = 0): ConfigValue {
    if (data === null || typeof data === 'boolean' || typeof data === 'number' || typeof data === 'string') return data;
    if (depth >= MAX_NESTING) {
      const where = at.length > 60 ? `${at.slice(0, 60)}…` : at || 'the file';
      throw this.error(`${where}: nested more than ${MAX_NESTING} levels deep (a YAML alias that contains itself?)`, { file: path });
    }
    if (Array.isArray(data)) return data.map((v, i) => this.checkData(v, path, `${at}[${i}]`, depth + 1));
    if (typeof data === 'object' && Object.getPrototypeOf(data) === Object.prototype) {
      const out: ConfigDict = {};
      for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
        assertSafeKey(k, (p) => {
          throw this.error(p, { file: path });
        });
        out[k] = this.checkData(v, path, at ? `${at}.${k}` : k, depth + 1);
      }
      return out;
    }
    const kind = data instanceof Date ? 'a timestamp' : typeof data === 'object' ? `a ${data?.constructor?.name ?? 'non-plain'} value` : `a ${typeof data}`;
    throw this.error(`${at || 'the file'} is ${kind}, which is not a config value (use strings, numbers, booleans, null, lists and mappings)`, { file: path });
  }

  private baseList(value: ConfigValue | undefined, where: SourceLocation | { file: string }): string[] {
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
      throw this.error(`${BASE_KEY} must be a file path or a list of file paths, got ${pythonTypeName(value)}`, where);
    }
    return list as string[];
  }
}

/**
 * Parsed `.py` files by path, reused while the text is unchanged: a tree of configs shares its `_base_` files, and
 * the app re-merges after every edit. The syntax tree is never mutated, so sharing it is safe.
 */
const parseCache = new Map<string, PythonModule>();
const PARSE_CACHE_SIZE = 512;

function parseCached(path: string, text: string): PythonModule {
  const hit = parseCache.get(path);
  if (hit && hit.source === text) return hit;
  const module = parsePythonConfig(text, path);
  if (parseCache.size >= PARSE_CACHE_SIZE) parseCache.delete(parseCache.keys().next().value as string);
  parseCache.set(path, module);
  return module;
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}
