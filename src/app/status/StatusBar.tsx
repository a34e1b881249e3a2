import { usePlayerStore } from '../player/player-store.ts';
import { useGpuStore } from './gpu-store.ts';

const PATH_LABEL = { webcodecs: 'WebCodecs', ffmpeg: 'ffmpeg.wasm', images: 'image folder' } as const;

/** Bottom line: GPU adapter (or why WebGPU is unavailable) and what is playing, through which decoder. */
export function StatusBar() {
  const gpu = useGpuStore();
  const info = usePlayerStore((s) => s.info);
  const status = usePlayerStore((s) => s.status);
  const openProgress = usePlayerStore((s) => s.openProgress);
  const fileName = usePlayerStore((s) => s.fileName);
  return (
    <footer className="status-bar">
      <span data-testid="gpu-status" className={gpu.status === 'available' ? 'ok' : 'warn'}>
        {gpu.status === 'checking' ? 'WebGPU: checking…' : gpu.status === 'available' ? `WebGPU: ${gpu.adapter}` : `WebGPU unavailable (${gpu.reason})`}
      </span>
      {status === 'opening' && openProgress && (
        <span>
          Opening {fileName}: {openProgress.stage === 'ffmpeg' ? `decoding with ffmpeg.wasm ${Math.round(openProgress.fraction * 100)}%` : 'reading…'}{' '}
          <button type="button" onClick={() => usePlayerStore.getState().cancelOpen()}>Cancel</button>
        </span>
      )}
      {info && (
        <span data-testid="video-info">
          {info.name} · {info.width}×{info.height} · {info.codec} in {info.container} · {PATH_LABEL[info.path]}
        </span>
      )}
    </footer>
  );
}
