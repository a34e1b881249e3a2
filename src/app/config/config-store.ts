import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { applyCfgOptions, type CfgOption, parseCfgOptions, splitCfgOptionsText } from '../../core/config/cfg-options.ts';
import { ConfigError } from '../../core/config/config-error.ts';
import { loadConfig } from '../../core/config/config-loader.ts';
import { type ConfigDict, isConfigDict } from '../../core/config/config-value.ts';
import { bundledConfigs } from './bundled-configs.ts';
import { configFileSystem, isSelectableConfig, type PickedFile, readPickedFiles, topLevelPicked, USER_PREFIX, userPath } from './config-files.ts';

/** The config preselected when the app starts (when bundled). */
export const DEFAULT_CONFIG = 'configs/mot/bytetrack/bytetrack_centernet_mobilenetv3_coco-person.py';

export interface ConfigState {
  /** Every known file: bundled `configs/...` and picked `user/...`, path → text. */
  files: ReadonlyMap<string, string>;
  /** The configs the user can choose (no `_base_` parts), sorted, picked files first. */
  choices: string[];
  /** The chosen config's path, or null before the first choice. */
  selected: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The chosen config merged with its bases, before the overrides. */
  merged: ConfigDict | null;
  /** What runs and what the tree shows: `merged` with the overrides applied. */
  config: ConfigDict | null;
  /** The files the chosen config read (itself first, then its bases). */
  usedFiles: string[];
  /** Why the chosen config could not be loaded (`file:line:col: problem` and the source line). */
  error: string | null;
  /** The override text as typed (same syntax as `--cfg-options`). */
  optionsText: string;
  /** The overrides in effect (parsed from the last applied text). */
  options: CfgOption[];
  /** Why the override text could not be applied (the previous overrides stay in effect). */
  optionsError: string | null;
  /** How many levels of the tree start unfolded; changing it re-folds the tree. */
  openDepth: number;

  /** Chooses a config and loads it (a later choice wins over a slower earlier load). */
  select: (path: string) => Promise<void>;
  /** Chooses the default config unless one is chosen already. */
  ensureSelected: () => Promise<void>;
  setOptionsText: (text: string) => void;
  /** Parses the override text and applies it to the merged config. */
  applyOptions: () => void;
  /** Adds picked files (replacing same-path ones) and chooses the picked config when there is one obvious one. */
  addPickedFiles: (picked: readonly PickedFile[]) => Promise<void>;
  /** Reads `File`s from a file or folder picker, then {@link addPickedFiles}. */
  pickFiles: (list: Iterable<File>) => Promise<void>;
  /** Forgets the picked files. */
  clearPickedFiles: () => Promise<void>;
  setOpenDepth: (depth: number) => void;
}

function sortedChoices(files: ReadonlyMap<string, string>): string[] {
  const all = [...files.keys()].filter(isSelectableConfig);
  const user = all.filter((p) => p.startsWith(USER_PREFIX)).sort();
  const bundled = all.filter((p) => !p.startsWith(USER_PREFIX)).sort();
  return [...user, ...bundled];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A config store over `bundled` files (`{ 'configs/...': text }`); the app uses {@link configStore}. */
export function createConfigStore(bundled: Readonly<Record<string, string>>): StoreApi<ConfigState> {
  let loadToken = 0;
  return createStore<ConfigState>()((set, get) => {
    const withOptions = (merged: ConfigDict, options: readonly CfgOption[]): { config: ConfigDict; optionsError: string | null } => {
      try {
        return { config: applyCfgOptions(merged, options), optionsError: null };
      } catch (err) {
        // Overrides that no longer fit the chosen config: show the config without them, say why.
        return { config: merged, optionsError: message(err) };
      }
    };

    const files = new Map(Object.entries(bundled));
    return {
      files,
      choices: sortedChoices(files),
      selected: null,
      status: 'idle',
      merged: null,
      config: null,
      usedFiles: [],
      error: null,
      optionsText: '',
      options: [],
      optionsError: null,
      openDepth: 1,

      async select(path) {
        const token = ++loadToken;
        set({ selected: path, status: 'loading', error: null });
        try {
          const { config: merged, files: usedFiles } = await loadConfig(path, configFileSystem(get().files));
          if (token !== loadToken) return;
          set({ status: 'ready', merged, usedFiles, ...withOptions(merged, get().options) });
        } catch (err) {
          if (token !== loadToken) return;
          if (!(err instanceof ConfigError)) console.error(err);
          set({ status: 'error', merged: null, config: null, usedFiles: [], error: message(err) });
        }
      },

      async ensureSelected() {
        if (get().selected !== null) return;
        const { choices } = get();
        const first = choices.includes(DEFAULT_CONFIG) ? DEFAULT_CONFIG : choices[0];
        if (first !== undefined) await get().select(first);
      },

      setOptionsText(text) {
        set({ optionsText: text });
      },

      applyOptions() {
        let options: CfgOption[];
        try {
          options = parseCfgOptions(splitCfgOptionsText(get().optionsText));
        } catch (err) {
          set({ optionsError: message(err) });
          return;
        }
        const { merged } = get();
        if (!merged) {
          set({ options, optionsError: null });
          return;
        }
        try {
          set({ options, config: applyCfgOptions(merged, options), optionsError: null });
        } catch (err) {
          set({ optionsError: message(err) });
        }
      },

      async addPickedFiles(picked) {
        const next = new Map(get().files);
        for (const f of picked) next.set(userPath(f.relativePath), f.text);
        set({ files: next, choices: sortedChoices(next) });
        const top = topLevelPicked(picked);
        const { selected } = get();
        if (top.length === 1) await get().select(top[0] as string);
        else if (selected !== null) await get().select(selected); // its bases may have been among the picked files
      },

      async pickFiles(list) {
        const all = [...list];
        const picked = await readPickedFiles(all);
        if (picked.length === 0) {
          set({ error: `none of the ${all.length} picked files is a config (.py, .json, .yaml)`, status: 'error' });
          return;
        }
        await get().addPickedFiles(picked);
      },

      async clearPickedFiles() {
        const next = new Map([...get().files].filter(([p]) => !p.startsWith(USER_PREFIX)));
        const { selected } = get();
        set({ files: next, choices: sortedChoices(next) });
        if (selected?.startsWith(USER_PREFIX)) {
          set({ selected: null, merged: null, config: null, usedFiles: [], error: null, status: 'idle' });
          await get().ensureSelected();
        }
      },

      setOpenDepth(depth) {
        set({ openDepth: Math.max(0, depth) });
      },
    };
  });
}

/** The app's config store, over the configs bundled from the repo's configs/. */
export const configStore = createConfigStore(bundledConfigs);

/** React hook on {@link configStore}. */
export function useConfigStore<T>(selector: (state: ConfigState) => T): T {
  return useStore(configStore, selector);
}

/** `model.type` of the chosen config (which task panels apply), or undefined. */
export function useConfigModelType(): unknown {
  return useConfigStore((s) => {
    const model = s.config?.model;
    return isConfigDict(model) ? model.type : undefined;
  });
}
