import type { OverlayScene } from '../core/structures/overlay-scene.ts';
import type { DecodedFrame } from './frame-source.ts';
import { drawOverlay, type Context2D } from './overlay-renderer.ts';

/**
 * Draws a frame at its own resolution with its overlay on top: what export (MP4 and PNG) writes.
 * Lines and text are sized as on a 360-line screen and grow with the frame height (3 px lines at 540p).
 */
export function renderAnnotatedFrame(ctx: Context2D, image: DecodedFrame, width: number, height: number, scene: OverlayScene | undefined): void {
  ctx.drawImage(image, 0, 0, width, height);
  if (scene) drawOverlay(ctx, scene, { scale: 1, offsetX: 0, offsetY: 0, uiScale: Math.max(1, height / 360) });
}
