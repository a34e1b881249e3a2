import { useState } from 'react';
import { renderReportHtml } from '../../core/report/report-html.ts';
import { reportToFragment } from '../../core/report/report-link.ts';
import { validateReport } from '../../core/report/report-schema.ts';
import { downloadBlob } from '../download.ts';
import { useGpuStore } from '../status/gpu-store.ts';
import { appEvalStore, useEvalStore } from './eval-store.ts';
import { evalResultToReport } from './eval-to-report.ts';

/** Share the evaluation on screen: a self-contained HTML report, its JSON (the Reports tab imports it), or a link. */
export function EvalReportExport() {
  const store = appEvalStore();
  const result = useEvalStore(store, (s) => s.report);
  const gt = useEvalStore(store, (s) => s.gt);
  const results = useEvalStore(store, (s) => s.results);
  const [message, setMessage] = useState<string | null>(null);
  if (!result) return null;
  const build = () => {
    const gpu = useGpuStore.getState();
    const report = evalResultToReport(result, {
      title: `${result.task.toUpperCase()} evaluation: ${results?.label ?? 'results'} vs ${gt?.label ?? 'ground truth'}`,
      gtName: gt?.label ?? 'ground truth',
      environment: { tool: 'mmtrack-web (browser)', browser: navigator.userAgent, 'GPU adapter': gpu.adapter ?? `none (${gpu.reason ?? 'unknown'})` },
      seconds: null,
    });
    const checked = validateReport(report);
    if (!checked.ok) throw new Error(`the report would not be valid: ${checked.errors.join('; ')}`);
    return checked.report;
  };
  const guard = (fn: () => Promise<void> | void) => async () => {
    try {
      setMessage(null);
      await fn();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div className="row eval-report-export">
      <button type="button" data-testid="eval-report-html" onClick={() => void guard(() => downloadBlob(new Blob([renderReportHtml(build())], { type: 'text/html' }), 'mmtrack-report.html'))()}>
        Report (HTML)
      </button>
      <button type="button" data-testid="eval-report-json" onClick={() => void guard(() => downloadBlob(new Blob([JSON.stringify(build(), null, 1)], { type: 'application/json' }), 'mmtrack-report.json'))()}>
        Report (JSON)
      </button>
      <button
        type="button"
        data-testid="eval-report-link"
        onClick={() =>
          void guard(async () => {
            const link = `${location.origin}${location.pathname}#${await reportToFragment(build())}`;
            await navigator.clipboard?.writeText(link).catch(() => undefined);
            setMessage(`Link copied (${link.length} characters).`);
          })()
        }
      >
        Copy link
      </button>
      {message && <span className="muted" data-testid="eval-report-message">{message}</span>}
    </div>
  );
}
