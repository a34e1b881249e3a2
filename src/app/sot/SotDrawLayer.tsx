import { useEffect, useRef, useState } from 'react';
import type { XywhBox } from '../../core/models/sot/sot-tracker.ts';
import { fitView } from '../../media/overlay-renderer.ts';
import { usePlayerStore } from '../player/player-store.ts';
import { useSotStore } from './sot-store.ts';

const HANDLE = 6; // CSS px, half size of a corner handle

type Drag = { kind: 'new'; x0: number; y0: number } | { kind: 'corner'; fixedX: number; fixedY: number };

/**
 * Drawing the target box over the video: drag to draw, drag a corner to adjust, Enter to start tracking, Esc to
 * cancel. Works in frame pixels; the layer maps pointer positions the way the video canvas fits the frame.
 */
export function SotDrawLayer() {
  const ref = useRef<SVGSVGElement>(null);
  const info = usePlayerStore((s) => s.info);
  const status = useSotStore((s) => s.status);
  const draft = useSotStore((s) => s.draft);
  const [size, setSize] = useState({ w: 1, h: 1 });
  const drag = useRef<Drag | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => e && setSize({ w: e.contentRect.width, h: e.contentRect.height }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useSotStore.getState();
      if (s.status !== 'drawing') return;
      if (e.key === 'Escape') s.cancelDrawing();
      else if (e.key === 'Enter' && s.draft) void s.start();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The layer is always mounted (so its size is observed from the start); without a video it draws nothing.
  const frameW = info?.width ?? 1;
  const frameH = info?.height ?? 1;
  // CSS pixels here, so uiScale 1.
  const view = fitView(frameW, frameH, size.w, size.h, 1);
  const toFrame = (e: { clientX: number; clientY: number }): [number, number] => {
    const r = ref.current?.getBoundingClientRect();
    const x = ((e.clientX - (r?.left ?? 0)) - view.offsetX) / view.scale;
    const y = ((e.clientY - (r?.top ?? 0)) - view.offsetY) / view.scale;
    return [Math.min(Math.max(x, 0), frameW), Math.min(Math.max(y, 0), frameH)];
  };
  const boxFrom = (ax: number, ay: number, bx: number, by: number): XywhBox => [Math.min(ax, bx), Math.min(ay, by), Math.abs(bx - ax), Math.abs(by - ay)];
  const drawing = status === 'drawing' && info !== null;
  const css = draft && { x: draft[0] * view.scale + view.offsetX, y: draft[1] * view.scale + view.offsetY, w: draft[2] * view.scale, h: draft[3] * view.scale };
  const corners: Array<[number, number, number, number]> = draft
    ? [
        [draft[0], draft[1], draft[0] + draft[2], draft[1] + draft[3]],
        [draft[0] + draft[2], draft[1], draft[0], draft[1] + draft[3]],
        [draft[0], draft[1] + draft[3], draft[0] + draft[2], draft[1]],
        [draft[0] + draft[2], draft[1] + draft[3], draft[0], draft[1]],
      ]
    : [];

  return (
    <svg
      ref={ref}
      className={`sot-draw-layer${drawing ? ' active' : ''}`}
      data-testid="sot-draw-layer"
      onPointerDown={(e) => {
        if (!drawing) return;
        (e.target as Element).setPointerCapture?.(e.pointerId);
        const [x, y] = toFrame(e);
        const corner = corners.find(([cx, cy]) => Math.abs(cx * view.scale + view.offsetX - (e.clientX - (ref.current?.getBoundingClientRect().left ?? 0))) <= HANDLE * 1.5 && Math.abs(cy * view.scale + view.offsetY - (e.clientY - (ref.current?.getBoundingClientRect().top ?? 0))) <= HANDLE * 1.5);
        drag.current = corner ? { kind: 'corner', fixedX: corner[2], fixedY: corner[3] } : { kind: 'new', x0: x, y0: y };
        if (!corner) useSotStore.getState().setDraft([x, y, 0, 0]);
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!drawing || !d) return;
        const [x, y] = toFrame(e);
        useSotStore.getState().setDraft(d.kind === 'new' ? boxFrom(d.x0, d.y0, x, y) : boxFrom(d.fixedX, d.fixedY, x, y));
      }}
      onPointerUp={() => {
        drag.current = null;
        const b = useSotStore.getState().draft;
        if (b && (b[2] < 2 || b[3] < 2)) useSotStore.getState().setDraft(null);
      }}
    >
      {info && css && (drawing || status === 'idle' || status === 'paused') && (
        <g>
          <rect x={css.x} y={css.y} width={css.w} height={css.h} className="sot-draft" data-testid="sot-draft" />
          {drawing &&
            corners.map(([cx, cy], i) => (
              <rect key={i} x={cx * view.scale + view.offsetX - HANDLE} y={cy * view.scale + view.offsetY - HANDLE} width={HANDLE * 2} height={HANDLE * 2} className="sot-handle" />
            ))}
        </g>
      )}
    </svg>
  );
}
