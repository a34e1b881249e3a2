import { type DragEvent, useState } from 'react';
import { metricNames } from './report-compare.ts';
import { ReportColumn } from './ReportColumn.tsx';
import { type ReportSlot, useReportsStore } from './reports-store.ts';
import './reports.css';

function filesOf(e: DragEvent<HTMLElement>): File[] {
  // preventDefault marks the drop as handled: the page-wide drop (which opens videos) skips it.
  e.preventDefault();
  return [...e.dataTransfer.files];
}

function FileInput({ slot, testId, label }: { slot: ReportSlot; testId: string; label: string }) {
  return (
    <label>
      {label}{' '}
      <input
        type="file"
        multiple={slot === 'a'}
        accept=".json,application/json,.html,text/html"
        data-testid={testId}
        onChange={(e) => {
          void useReportsStore.getState().importFiles([...(e.target.files ?? [])], slot);
          e.target.value = '';
        }}
      />
    </label>
  );
}

/**
 * Shareable evaluation reports (docs/report.md): import report JSON (or an HTML report) by file input or drop,
 * open one from a `#report=` link, copy its link, and compare two side by side. Report content is untrusted and is
 * only ever rendered as text.
 */
export function ReportsView() {
  const [over, setOver] = useState(false);
  const a = useReportsStore((s) => s.a);
  const b = useReportsStore((s) => s.b);
  const error = useReportsStore((s) => s.error);
  const link = useReportsStore((s) => s.link);
  const { importFiles, copyLink } = useReportsStore.getState();
  const names = metricNames([a?.report ?? null, b?.report ?? null]);

  return (
    <div
      className={`reports-view${over ? ' reports-drop-over' : ''}`}
      data-testid="reports-view"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        // Dropped with a report open: the new one goes beside it, to compare.
        void importFiles(filesOf(e), a && !b && e.dataTransfer.files.length === 1 ? 'b' : 'a');
      }}
    >
      <div className="reports-inputs">
        <FileInput slot="a" testId="report-input" label="Report (JSON or HTML):" />
        {a && <FileInput slot="b" testId="report-compare-input" label="Compare with:" />}
        <span className="placeholder"> or drop report files here</span>
      </div>
      {error && (
        <pre className="report-error" role="alert" data-testid="report-error">
          {error}
        </pre>
      )}
      {a && (
        <div className="report-link-row">
          <button type="button" data-testid="report-link" onClick={() => void copyLink()}>
            Copy link
          </button>{' '}
          {link && 'url' in link && (
            <>
              <input readOnly className="report-link-url" data-testid="report-link-url" value={link.url} onFocus={(e) => e.target.select()} />{' '}
              <span>{link.copied ? 'copied' : 'copy it from here'}</span>
            </>
          )}
          {link && 'error' in link && (
            <span className="report-link-error" data-testid="report-link-error">
              No link: {link.error}
            </span>
          )}
        </div>
      )}
      {a && !b && <ReportColumn open={a} slot="a" other={null} names={names} />}
      {a && b && (
        <div className="report-compare" data-testid="report-compare">
          <ReportColumn open={a} slot="a" other={b.report} names={names} />
          <ReportColumn open={b} slot="b" other={a.report} names={names} />
        </div>
      )}
      {!a && !error && <p className="placeholder">No report open. Make one with `mmtrack report --eval METRICS.json --json report.json`.</p>}
    </div>
  );
}
