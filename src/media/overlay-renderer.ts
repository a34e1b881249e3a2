import { boxCaption, boxColor, trackColor, type OverlayMask, type OverlayScene } from '../core/structures/overlay-scene.ts';

/** A 2D context on a page canvas or an OffscreenCanvas (the export worker draws with the same code). */
export type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/**
 * Where frame pixels land on the target canvas. `scale` is device pixels per frame pixel; `uiScale` is device
 * pixels per CSS pixel (the page's devicePixelRatio, or a size-based factor for exported video), so lines and text
 * keep the same on-screen size on hi-DPI screens and at any zoom.
 */
export interface OverlayView {
  scale: number;
  offsetX: number;
  offsetY: number;
  uiScale: number;
}

/** Fits a frame into a canvas of `canvasWidth x canvasHeight` device pixels, centred, aspect kept. */
export function fitView(frameWidth: number, frameHeight: number, canvasWidth: number, canvasHeight: number, uiScale: number): OverlayView {
  const scale = Math.min(canvasWidth / frameWidth, canvasHeight / frameHeight);
  return { scale, offsetX: (canvasWidth - frameWidth * scale) / 2, offsetY: (canvasHeight - frameHeight * scale) / 2, uiScale };
}

/** Converts a canvas-space point (device pixels) to frame pixels. */
export function canvasToFrame(view: OverlayView, x: number, y: number): [number, number] {
  return [(x - view.offsetX) / view.scale, (y - view.offsetY) / view.scale];
}

const rgbCache = new Map<string, [number, number, number]>();
/** Resolves any CSS colour to RGB by letting a 1x1 canvas parse it (works on the page and in workers). */
function cssToRgb(color: string): [number, number, number] {
  const hit = rgbCache.get(color);
  if (hit) return hit;
  const ctx = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true });
  let rgb: [number, number, number] = [0, 255, 0];
  if (ctx) {
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    rgb = [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0];
  }
  rgbCache.set(color, rgb);
  return rgb;
}

// One frame-sized canvas for every mask drawn on this thread: a new one per mask left a frame-sized backing store
// (outside V8's heap) per mask per frame to the garbage collector.
let maskCanvas: OffscreenCanvas | null = null;

function drawMask(ctx: Context2D, mask: OverlayMask): void {
  const { width, height, data, bits } = mask;
  const [r, g, b] = cssToRgb(mask.color ?? (mask.trackId !== undefined ? trackColor(mask.trackId) : '#00ff66'));
  const a = Math.round(255 * (mask.alpha ?? 0.45));
  const img = new ImageData(width, height);
  const px = img.data;
  const paint = (i: number) => {
    const o = i * 4;
    px[o] = r;
    px[o + 1] = g;
    px[o + 2] = b;
    px[o + 3] = a;
  };
  if (mask.rle) {
    let p = 0;
    mask.rle.forEach((run, r) => {
      if (r % 2 === 1) {
        for (let q = p; q < p + run && q < width * height; q++) {
          const x = Math.floor(q / height);
          paint((q - x * height) * width + x);
        }
      }
      p += run;
    });
  } else if (bits) {
    const k = mask.index ?? 0;
    if (bits.width !== width || bits.height !== height || !(k >= 0 && k < bits.count)) throw new Error(`overlay mask: mask ${k} of ${bits.count} at ${bits.width}x${bits.height} for ${width}x${height}`);
    for (let y = 0; y < height; y++) {
      const row = (k * height + y) * bits.wordsPerRow;
      for (let w = 0; w < bits.wordsPerRow; w++) {
        let v = bits.data[row + w]!;
        while (v) {
          const bit = 31 - Math.clz32(v & -v);
          v &= v - 1;
          const x = w * 32 + bit;
          if (x < width) paint(y * width + x);
        }
      }
    }
  } else {
    if (!data || data.length !== width * height) throw new Error(`overlay mask: ${data?.length ?? 0} values for ${width}x${height}`);
    for (let i = 0; i < data.length; i++) if (data[i] !== 0) paint(i);
  }
  maskCanvas ??= new OffscreenCanvas(width, height);
  if (maskCanvas.width !== width || maskCanvas.height !== height) {
    maskCanvas.width = width;
    maskCanvas.height = height;
  }
  // putImageData replaces every pixel of the canvas: what the last mask left is gone.
  maskCanvas.getContext('2d')?.putImageData(img, 0, 0);
  ctx.drawImage(maskCanvas, 0, 0);
}

/**
 * Draws one frame's overlay: masks, then trails (older points fainter), then boxes with captions.
 * The caller clears the canvas (or draws the video frame) first.
 */
export function drawOverlay(ctx: Context2D, scene: OverlayScene, view: OverlayView): void {
  ctx.save();
  ctx.setTransform(view.scale, 0, 0, view.scale, view.offsetX, view.offsetY);
  const px = view.uiScale / view.scale; // one CSS pixel, in frame pixels
  for (const mask of scene.masks ?? []) drawMask(ctx, mask);

  ctx.lineCap = 'round';
  for (const trail of scene.trails ?? []) {
    const color = trail.color ?? trackColor(trail.trackId);
    const p = trail.points;
    const n = p.length / 2;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 * px;
    for (let i = 1; i < n; i++) {
      ctx.globalAlpha = 0.15 + 0.85 * (i / (n - 1));
      ctx.beginPath();
      ctx.moveTo(p[2 * i - 2]!, p[2 * i - 1]!);
      ctx.lineTo(p[2 * i]!, p[2 * i + 1]!);
      ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;

  const anyHighlighted = (scene.boxes ?? []).some((b) => b.highlighted);
  const fontPx = 12 * px;
  ctx.font = `600 ${fontPx}px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  for (const box of scene.boxes ?? []) {
    const color = boxColor(box);
    const w = box.x2 - box.x1;
    const h = box.y2 - box.y1;
    ctx.globalAlpha = anyHighlighted && !box.highlighted ? 0.35 : 1;
    ctx.strokeStyle = color;
    ctx.lineWidth = (box.highlighted ? 4 : 2) * px;
    ctx.strokeRect(box.x1, box.y1, w, h);
    const caption = boxCaption(box);
    if (caption) {
      const tw = ctx.measureText(caption).width + 6 * px;
      const th = fontPx + 4 * px;
      const ty = box.y1 - th >= 0 ? box.y1 - th : box.y1;
      ctx.fillStyle = color;
      ctx.fillRect(box.x1, ty, tw, th);
      ctx.fillStyle = '#000';
      ctx.fillText(caption, box.x1 + 3 * px, ty + 2 * px);
    }
  }
  ctx.restore();
}
