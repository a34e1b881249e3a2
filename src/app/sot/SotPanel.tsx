import { isSotModelType } from '../../core/models/sot/sot-models.ts';
import { useConfigModelType } from '../config/config-store.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useSotStore } from './sot-store.ts';

/** Single object tracking: draw (or load) the first box, track forward, pause and re-initialise, export, evaluate. */
export function SotPanel() {
  const modelType = useConfigModelType();
  const hasVideo = usePlayerStore((s) => s.info !== null);
  const { status, message, draft, results, lastFrame, fps, model, modelFiles, evaluation } = useSotStore();
  const actions = useSotStore.getState();
  if (!isSotModelType(modelType)) return null;
  const last = lastFrame === null ? undefined : results.get(lastFrame);
  return (
    <div className="sot-panel">
      <div className="row">
        <button type="button" data-testid="sot-draw" disabled={!hasVideo || status === 'tracking'} onClick={actions.startDrawing}>
          Draw box
        </button>
        {status === 'tracking' ? (
          <button type="button" data-testid="sot-pause" onClick={actions.pause}>
            Pause
          </button>
        ) : (
          <button type="button" data-testid="sot-start" disabled={!hasVideo || (!draft && results.size === 0)} onClick={() => void actions.start()}>
            Start ({modelType})
          </button>
        )}
      </div>
      <div className="row">
        <label className="button" title="The ONNX files the config names (e.g. backbone.onnx and head.onnx for NanoTrack)">
          Model files…
          <input type="file" data-testid="sot-model-input" accept=".onnx" multiple onChange={(e) => void actions.addModelFiles(Array.from(e.target.files ?? []))} />
        </label>
        <label className="button" title="A folder holding the config's ONNX files">
          Model folder…
          <input
            type="file"
            data-testid="sot-model-folder"
            // @ts-expect-error -- non-standard but supported by every browser engine: pick a directory
            webkitdirectory=""
            multiple
            onChange={(e) => void actions.addModelFiles(Array.from(e.target.files ?? []))}
          />
        </label>
        <label className="button" title="First box from a ground-truth file (x,y,w,h per line), as demo_sot.py --gt_bbox_file">
          Init from GT…
          <input type="file" data-testid="sot-gt-input" accept=".txt" onChange={(e) => e.target.files?.[0] && void actions.initFromGtFile(e.target.files[0])} />
        </label>
      </div>
      <div className="muted" data-testid="sot-status">
        {status === 'loading' && 'Loading the tracker…'}
        {message}
        {model && <div>model: {model.type} ({model.files.join(', ')})</div>}
        {Object.keys(modelFiles).length > 0 && !model && <div>files: {Object.keys(modelFiles).join(', ')}</div>}
      </div>
      {lastFrame !== null && last && (
        <div className="row muted">
          frame {lastFrame + 1}: score <span data-testid="sot-score">{last.score.toFixed(3)}</span>
          {fps !== null && ` · ${fps.toFixed(1)} frames/s`}
        </div>
      )}
      {results.size > 0 && status !== 'tracking' && (
        <div className="row">
          <button type="button" data-testid="sot-export" onClick={actions.exportTxt}>
            Trajectory txt
          </button>
          <label className="button" title="Evaluate against a ground-truth file (OPE success / precision)">
            Evaluate…
            <input type="file" data-testid="sot-eval-input" accept=".txt" onChange={(e) => e.target.files?.[0] && void actions.evaluate(e.target.files[0])} />
          </label>
        </div>
      )}
      {evaluation && (
        <div className="sot-eval" data-testid="sot-eval">
          vs {evaluation.gtName}: success <b data-testid="sot-success">{evaluation.success.toFixed(2)}</b>, precision {evaluation.precision.toFixed(2)}, norm.
          precision {evaluation.normPrecision.toFixed(2)}
          <CurvePlot title="success" values={evaluation.curves.success} xMax={1} />
          <CurvePlot title="precision" values={evaluation.curves.precision} xMax={50} />
        </div>
      )}
    </div>
  );
}

/** A small inline SVG curve (success over IoU 0..1, precision over 0..50 px). */
function CurvePlot({ title, values, xMax }: { title: string; values: Float64Array; xMax: number }) {
  const w = 220;
  const h = 80;
  const pts = Array.from(values, (v, i) => `${((i / (values.length - 1)) * w).toFixed(1)},${(h - v * h).toFixed(1)}`).join(' ');
  return (
    <svg className="sot-curve" width={w} height={h + 14} role="img" aria-label={`${title} plot`}>
      <rect x={0} y={0} width={w} height={h} className="frame" />
      <polyline points={pts} />
      <text x={2} y={h + 12}>
        {title} (x: 0–{xMax})
      </text>
    </svg>
  );
}
