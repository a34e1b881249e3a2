import { useState } from 'react';
import { SEGM_METRIC_NAMES } from '../../core/eval/ytvis-eval.ts';
import { TrackTable } from '../layout/TrackTable.tsx';
import { zipStore } from '../../media/zip-store.ts';
import { useDetectStore } from '../detect/detect-store.ts';
import { derivedName, downloadBlob } from '../download.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { evaluateVis, visFramesDone, visInstances, visMaskPngs, visResultsJson } from './vis-results.ts';

/**
 * A VIS config's run (MaskTrack R-CNN, or the default person-mask demo): mask opacity, the instance list, exports
 * (YouTube-VIS results JSON, per-instance mask PNGs) and YouTube-VIS AP against a dropped ann.json.
 */
export function VisPanel() {
  const detector = useDetectStore((s) => s.detector);
  const results = useDetectStore((s) => s.results);
  const maskOpacity = useDetectStore((s) => s.maskOpacity);
  const selected = useDetectStore((s) => s.selectedInstance);
  const info = usePlayerStore((s) => s.info);
  const [message, setMessage] = useState<string | null>(null);
  const [metrics, setMetrics] = useState<Record<string, number> | null>(null);
  if (!detector?.video?.sequential || !info) return null;
  const done = visFramesDone(results);
  const instances = visInstances(results);
  const fail = (err: unknown) => setMessage(err instanceof Error ? err.message : String(err));
  const demo = detector.video.method === 'PersonMaskDemo';
  return (
    <div className="vis-panel" data-testid="vis-panel">
      <div className="muted" data-testid="vis-model">
        {demo ? 'Person-only demo (boxes and ids from the MOT config, a person mask per box) — not MaskTrack R-CNN' : 'MaskTrack R-CNN'}
      </div>
      <label className="row" title="Fill opacity of the instance masks (0 hides them)">
        masks <span data-testid="mask-opacity-value">{Math.round(maskOpacity * 100)} %</span>
        <input type="range" data-testid="mask-opacity" min={0} max={1} step={0.05} value={maskOpacity} onChange={(e) => useDetectStore.getState().setMaskOpacity(Number(e.target.value))} />
      </label>
      <div data-testid="vis-instances-count">
        {instances.length} instances over {done} of {info.frameCount} frames
      </div>
      <TrackTable
        rows={instances.map((t) => ({ id: t.id, label: String(detector.classNames[t.label] ?? t.label), first: t.first, last: t.last, length: t.frames }))}
        selected={selected}
        onPick={(t) => useDetectStore.getState().selectInstance(selected === t.id ? null : t.id, t.first)}
        testId="vis-instances"
        rowTestId="vis-instance"
      />
      <div className="row">
        <button
          type="button"
          data-testid="vis-export-json"
          disabled={done === 0}
          onClick={() => {
            try {
              const json = visResultsJson(results, info.frameCount);
              downloadBlob(new Blob([JSON.stringify(json)], { type: 'application/json' }), derivedName(info.name, '-ytvis-results', 'json'));
              setMessage(done < info.frameCount ? `exported ${done} of ${info.frameCount} frames (detect all frames for the whole video)` : null);
            } catch (err) {
              fail(err);
            }
          }}
        >
          Export YouTube-VIS JSON
        </button>
        <button
          type="button"
          data-testid="vis-export-png"
          disabled={done === 0}
          onClick={() => {
            visMaskPngs(results)
              .then((files) => downloadBlob(new Blob([zipStore(files) as BlobPart], { type: 'application/zip' }), derivedName(info.name, '-masks', 'zip')))
              .catch(fail);
          }}
        >
          Export mask PNGs (zip)
        </button>
        <label className="button" title="A YouTube-VIS ann.json of this video: YouTube-VIS AP, as mmtrack eval vis computes it">
          Evaluate with ann.json…
          <input
            type="file"
            data-testid="vis-eval-input"
            accept=".json"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              file
                .text()
                .then((text) => {
                  const r = evaluateVis(results, info.frameCount, text, file.name);
                  setMetrics(r.metrics);
                  setMessage(r.warnings.length ? r.warnings.slice(0, 3).join('; ') : null);
                })
                .catch(fail);
            }}
          />
        </label>
      </div>
      {metrics && (
        <table className="vis-metrics" data-testid="vis-eval-result">
          <tbody>
            {SEGM_METRIC_NAMES.slice(0, 8).map((k) => (
              <tr key={k}>
                <td>{k}</td>
                <td data-testid={`vis-metric-${k}`}>{metrics[k]! < 0 ? '—' : metrics[k]!.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {message && <div className="model-error" data-testid="vis-message">{message}</div>}
    </div>
  );
}
