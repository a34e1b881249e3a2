import { detectorGraphSpecs } from '../../runtime/detectors/detector-runner.ts';
import { useConfigStore } from '../config/config-store.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useDetectStore } from './detect-store.ts';
import { VisPanel } from '../vis/VisPanel.tsx';

/** The file names of the chosen config's detector graphs (null when the config has no runnable detector). */
function useDetectorFiles(): string[] | null {
  const config = useConfigStore((c) => c.config);
  if (!config) return null;
  try {
    return detectorGraphSpecs(config).map((s) => s.file.split('/').pop() ?? s.file);
  } catch {
    return null;
  }
}

/** Task toggle, display threshold and the detector model (default or the user's ONNX file). */
export function DetectPanel() {
  const { enabled, status, model, detector, error, scoreThreshold, run, restoredAt } = useDetectStore();
  const detected = useDetectStore((s) => s.results.size);
  const { setEnabled, setScoreThreshold, loadModelFiles, loadModelUrl, loadDefaultModel, runAll, cancelRun } = useDetectStore.getState();
  const info = usePlayerStore((s) => s.info);
  const files = useDetectorFiles();
  return (
    <div className="detect-panel">
      <label className="row">
        <input type="checkbox" data-testid="detect-toggle" checked={enabled} onChange={(e) => void setEnabled(e.target.checked)} />
        Detect objects on every frame
      </label>
      <label className="row" title="Hide detections below this score (no re-run)">
        score ≥ <span data-testid="score-threshold-value">{scoreThreshold.toFixed(2)}</span>
        <input type="range" data-testid="score-threshold" min={0} max={1} step={0.01} value={scoreThreshold} onChange={(e) => setScoreThreshold(Number(e.target.value))} />
      </label>
      <div className="model-info" data-testid="model-status">
        {status === 'off' && 'Detector not loaded.'}
        {status === 'loading' && 'Loading the detector…'}
        {status === 'ready' && model && detector && (
          <>
            <div>
              {model.name} ({(model.bytes / 1e6).toFixed(1)} MB, {model.source === 'default' ? 'default' : 'your file'})
            </div>
            <div data-testid="execution-provider">
              {detector.ep === 'webgpu' ? `WebGPU EP · ${detector.adapter ?? ''} · ${detector.kernels === 'gpu' ? 'WGSL kernels' : 'CPU post-processing'}` : `wasm EP (CPU, ${detector.wasmThreads} thread${detector.wasmThreads === 1 ? '' : 's'}) — ${detector.fallbackReason ?? ''}`}
            </div>
            <div className="muted">sha256 {detector.sha256.slice(0, 12)}…</div>
          </>
        )}
        {status === 'error' && <div className="model-error" data-testid="model-error">{error}</div>}
      </div>
      {info && status !== 'loading' && status !== 'error' && (
        <div className="row" data-testid="detect-run">
          {run ? (
            <>
              <progress max={run.total} value={run.done} />
              <span data-testid="detect-progress">
                {run.done} / {run.total} frames
              </span>
              <button type="button" data-testid="detect-cancel" onClick={cancelRun}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" data-testid="detect-all" title="Detect every frame in order; kept for this video across reloads" onClick={() => void runAll()}>
              Detect all {info.frameCount} frames
            </button>
          )}
          {enabled && (
            <span className="muted" data-testid="detected-count">
              {detected} of {info.frameCount} frames detected{restoredAt !== null ? ` (kept from ${new Date(restoredAt).toLocaleString()})` : ''}
            </span>
          )}
        </div>
      )}
      {status === 'ready' && error && <div className="model-error" data-testid="detect-run-error">{error}</div>}
      {status === 'ready' && <VisPanel />}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const url = new FormData(e.currentTarget).get('url');
          if (typeof url === 'string' && url.trim()) void loadModelUrl(url.trim());
        }}
      >
        <input name="url" type="url" placeholder="https://…/model.onnx" aria-label="Model URL" data-testid="model-url" className="url-input" />
        <button type="submit">Load URL</button>
      </form>
      <div className="row">
        <label className="button" title={files ? `this config's detector runs ${files.join(' + ')}` : undefined}>
          Use my ONNX…
          <input
            type="file"
            data-testid="model-input"
            accept=".onnx"
            multiple
            onChange={(e) => {
              const picked = Array.from(e.target.files ?? []);
              if (picked.length) void loadModelFiles(picked);
              e.target.value = '';
            }}
          />
        </label>
        {files && files.length > 1 && (
          <span className="muted" data-testid="model-files-needed">
            needs {files.join(' + ')}
          </span>
        )}
        {model?.source === 'user' && (
          <button type="button" onClick={() => void loadDefaultModel()}>
            Default model
          </button>
        )}
      </div>
    </div>
  );
}
