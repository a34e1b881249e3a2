import { useEffect, useRef, useState } from 'react';
import { drawOverlay, fitView } from '../../media/overlay-renderer.ts';
import { useOverlayStore } from '../stores/overlay-store.ts';
import { usePlayerStore } from './player-store.ts';

/** The frame on screen with its overlay, drawn at device resolution (hi-DPI) and fitted to the available space. */
export function VideoView() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0, dpr: 1 });
  const image = usePlayerStore((s) => s.image);
  const info = usePlayerStore((s) => s.info);
  const currentFrame = usePlayerStore((s) => s.currentFrame);
  const scene = useOverlayStore((s) => s.scenes.get(currentFrame));

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ro = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize({ w: width, h: height, dpr: window.devicePixelRatio || 1 });
    });
    ro.observe(canvas);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = Math.max(1, Math.round(size.w * size.dpr));
    canvas.height = Math.max(1, Math.round(size.h * size.dpr));
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    // A frame closed by a newer one (fast scrubbing) has no pixels left: skip it, the newer one is coming.
    if (!image || !info || ('codedWidth' in image ? image.codedWidth === 0 : image.width === 0)) return;
    const view = fitView(info.width, info.height, canvas.width, canvas.height, size.dpr);
    ctx.drawImage(image, view.offsetX, view.offsetY, info.width * view.scale, info.height * view.scale);
    if (scene) drawOverlay(ctx, scene, view);
  }, [image, info, scene, size]);

  return <canvas ref={canvasRef} className="video-canvas" data-testid="video-canvas" />;
}
