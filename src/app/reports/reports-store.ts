import { create } from 'zustand';
import { extractReportJson } from '../../core/report/report-html.ts';
import { FRAGMENT_PREFIX, reportFromFragment, ReportLinkError, reportToFragment } from '../../core/report/report-link.ts';
import { type EvalReport, parseReportJson } from '../../core/report/report-schema.ts';
import { useViewStore } from '../layout/view-store.ts';

/** Which column: the report (`a`) or the one compared with it (`b`). */
export type ReportSlot = 'a' | 'b';

export interface OpenReport {
  report: EvalReport;
  /** Where it came from: a file name or "link". */
  source: string;
}

/** The "Copy link" outcome: the link, or why there is none (too big for a fragment). */
export type ReportLinkState = { url: string; copied: boolean } | { error: string } | null;

export interface ReportsStore {
  a: OpenReport | null;
  b: OpenReport | null;
  /** Why the last import was refused (names the file or the link), null when it was not. */
  error: string | null;
  link: ReportLinkState;
  /** Imports report JSON files (or HTML reports, whose JSON rides along): the first into `slot`, a second into `b`. */
  importFiles: (files: readonly File[], slot?: ReportSlot) => Promise<void>;
  /** Opens the report a `#report=v1...` fragment carries; ignores other fragments. Returns whether it was one. */
  openFragment: (hash: string) => Promise<boolean>;
  close: (slot: ReportSlot) => void;
  /** Makes the link for report `a` and copies it to the clipboard where the browser allows. */
  copyLink: () => Promise<void>;
}

/** Larger files are not reports anyone made with this app; refuse before reading them into a string. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function readReportFile(file: File): Promise<EvalReport> {
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.name}: ${Math.round(file.size / 2 ** 20)} MiB is too large for an evaluation report`);
  const text = await file.text();
  // An HTML report carries its JSON in an inert <script type="application/json">.
  const json = /\.html?$/i.test(file.name) || text.trimStart().startsWith('<') ? extractReportJson(text) : text;
  if (json === null) throw new Error(`${file.name}: an HTML file without an embedded mmtrack-web report`);
  return parseReportJson(json, file.name);
}

export const useReportsStore = create<ReportsStore>()((set, get) => ({
  a: null,
  b: null,
  error: null,
  link: null,

  async importFiles(files, slot = 'a') {
    const targets: ReportSlot[] = slot === 'a' ? ['a', 'b'] : ['b'];
    const errors: string[] = [];
    const opened: Partial<Record<ReportSlot, OpenReport>> = {};
    for (const file of files.slice(0, targets.length)) {
      try {
        opened[targets[Object.keys(opened).length]!] = { report: await readReportFile(file), source: file.name };
      } catch (err) {
        errors.push(err instanceof Error ? err.message : `${file.name}: ${String(err)}`);
      }
    }
    if (files.length > targets.length) errors.push(`only ${targets.length === 2 ? 'two reports' : 'one report'} can be opened here; ignored ${files.slice(targets.length).map((f) => f.name).join(', ')}`);
    set({ ...opened, error: errors.length ? errors.join('\n') : null, ...(opened.a ? { link: null } : {}) });
    if (opened.a || opened.b) useViewStore.getState().setView('reports');
  },

  async openFragment(hash) {
    const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
    if (!fragment.startsWith(FRAGMENT_PREFIX)) return false;
    useViewStore.getState().setView('reports');
    try {
      const report = await reportFromFragment(fragment);
      set({ a: { report, source: 'link' }, error: null, link: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      set({ error: err instanceof ReportLinkError ? `link: ${message}` : message });
    }
    return true;
  },

  close(slot) {
    if (slot === 'a') set((s) => ({ a: s.b, b: null, link: null }));
    else set({ b: null });
  },

  async copyLink() {
    const open = get().a;
    if (!open) return;
    let url: string;
    try {
      url = `${location.origin}${location.pathname}${location.search}#${await reportToFragment(open.report)}`;
    } catch (err) {
      set({ link: { error: err instanceof Error ? err.message : String(err) } });
      return;
    }
    set({ link: { url, copied: false } });
    try {
      await navigator.clipboard.writeText(url);
      if (get().a === open) set({ link: { url, copied: true } });
    } catch {
      // No clipboard permission (e.g. not a secure context): the link is shown to copy by hand.
    }
  },
}));
