import { useEffect, useState } from 'react';
import { ConfigPanel } from './config/ConfigPanel.tsx';
import { DetectPanel } from './detect/DetectPanel.tsx';
import { CameraPanel, CameraView } from './camera/CameraPanel.tsx';
import { MotPanel } from './mot/MotPanel.tsx';
import { SotDrawLayer } from './sot/SotDrawLayer.tsx';
import { SotPanel } from './sot/SotPanel.tsx';
import { SotScorePlot } from './sot/SotScorePlot.tsx';
import { TrackList } from './mot/TrackList.tsx';
import { TimingsPanel } from './detect/TimingsPanel.tsx';
import { ExportPanel } from './export/ExportPanel.tsx';
import { Banners } from './layout/Banners.tsx';
import { ErrorBoundary } from './layout/ErrorBoundary.tsx';
import { useViewStore } from './layout/view-store.ts';
import { ViewTabs } from './layout/ViewTabs.tsx';
import { EvalReportExport } from './eval/EvalReportExport.tsx';
import { EvalView } from './eval/EvalView.tsx';
import { LogsView } from './logs/LogsView.tsx';
import { ReportsView } from './reports/ReportsView.tsx';
import { useReportLink } from './reports/use-report-link.ts';
import { inputFromDrop } from './open/drop-input.ts';
import { OpenButtons } from './open/OpenButtons.tsx';
import { PlayerControls } from './player/PlayerControls.tsx';
import { usePlayerStore } from './player/player-store.ts';
import { usePlayerKeys } from './player/use-player-keys.ts';
import { VideoView } from './player/VideoView.tsx';
import { StatusBar } from './status/StatusBar.tsx';
import { useGpuStore } from './status/gpu-store.ts';
import { useOverlayStore } from './stores/overlay-store.ts';

/** Drag-and-drop anywhere on the video view opens the dropped video, image or folder. */
function usePageDrop(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer || !hasFiles(e)) return;
      const handledBelow = e.defaultPrevented; // a drop zone (evaluation, logs) took it
      e.preventDefault(); // never let the browser navigate to a dropped file
      depth = 0;
      setOver(false);
      if (handledBelow || useViewStore.getState().view !== 'video') return;
      void inputFromDrop(e.dataTransfer).then((input) => input && usePlayerStore.getState().open(input));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return over;
}

export function App() {
  const dragging = usePageDrop();
  usePlayerKeys();
  useReportLink();
  useEffect(() => void useGpuStore.getState().detect(), []);
  const hasVideo = usePlayerStore((s) => s.info !== null);
  const overlaySource = useOverlayStore((s) => s.sourceLabel);
  const view = useViewStore((s) => s.view);

  return (
    <div className="app">
      <header className="top-bar">
        <h1>mmtrack-web</h1>
        <ViewTabs />
        <OpenButtons />
        <ExportPanel />
      </header>
      <aside className="left-panel" aria-label="Task, config and model">
        <section>
          <h2>Task</h2>
          <DetectPanel />
          <MotPanel />
          <SotPanel />
          <CameraPanel />
        </section>
        <section>
          <h2>Config</h2>
          <ConfigPanel />
        </section>
      </aside>
      <main className="centre">
        <Banners />
        {/* The player stays mounted (hidden) so switching views keeps its state and canvas. */}
        <div className="centre-view" hidden={view !== 'video'}>
          <ErrorBoundary area="video view">
            <div className="stage">
              <VideoView />
              <SotDrawLayer />
              <CameraView />
              {!hasVideo && <div className="empty-hint">Drop a video, an image or a folder of frames anywhere on the page.</div>}
            </div>
          </ErrorBoundary>
          <PlayerControls />
          <SotScorePlot />
        </div>
        {view === 'logs' && (
          <ErrorBoundary area="training-log view">
            <div className="centre-view scroll">
              <LogsView />
            </div>
          </ErrorBoundary>
        )}
        {view === 'reports' && (
          <ErrorBoundary area="reports view">
            <div className="centre-view scroll">
              <ReportsView />
            </div>
          </ErrorBoundary>
        )}
        {view === 'eval' && (
          <ErrorBoundary area="evaluation view">
            <div className="centre-view scroll">
              <EvalView />
              <EvalReportExport />
            </div>
          </ErrorBoundary>
        )}
      </main>
      <aside className="right-panel" aria-label="Tracks and metrics">
        <section>
          <h2>Tracks</h2>
          {overlaySource && <p className="placeholder">Overlay: {overlaySource}</p>}
          <TrackList />
        </section>
        <section>
          <h2>Timings</h2>
          <TimingsPanel />
        </section>
        <section>
          <h2>Metrics</h2>
          <p className="placeholder">No evaluation yet.</p>
        </section>
      </aside>
      <StatusBar />
      {dragging && view === 'video' && <div className="drop-overlay" data-testid="drop-overlay">Drop to open</div>}
    </div>
  );
}
