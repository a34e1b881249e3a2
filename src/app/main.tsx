import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ErrorBoundary } from './layout/ErrorBoundary.tsx';
import './app.css';
import { useCameraStore } from './camera/camera-store.ts';
import { useDetectStore } from './detect/detect-store.ts';
import { useSotStore } from './sot/sot-store.ts';
import { useMotStore } from './mot/mot-store.ts';
import { usePlayerStore } from './player/player-store.ts';
import { useOverlayStore } from './stores/overlay-store.ts';
import { ensureCrossOriginIsolation } from './cross-origin-isolation.ts';

// Scripting hook for automation and the devtools console: the stores, e.g.
// `mmtrack.overlay.getState().setScenes(new Map([[0, { boxes: [...] }]]), 'my boxes')`.
Object.assign(window, { mmtrack: { player: usePlayerStore, overlay: useOverlayStore, detect: useDetectStore, mot: useMotStore, sot: useSotStore, camera: useCameraStore } });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
if (!(await ensureCrossOriginIsolation())) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary area="app">
        <App />
      </ErrorBoundary>
    </StrictMode>,
  );
}
