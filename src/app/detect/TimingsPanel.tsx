import { useDetectStore } from './detect-store.ts';

const STAGES = [
  ['preprocess', 'pre-process'],
  ['ort', 'ORT'],
  ['kernels', 'kernels'],
  ['readback', 'read-back'],
  ['reid', 'ReID'],
  ['total', 'total'],
] as const;

/** Per-stage milliseconds of the last detected frame, and what is on the current frame. */
export function TimingsPanel() {
  const timings = useDetectStore((s) => s.timings);
  const enabled = useDetectStore((s) => s.enabled);
  if (!enabled) return null;
  // A VID method reports its own stages (DFF: backbone on key frames, flow and warp between them, head).
  const video = timings?.video;
  const stages = video ? STAGES.filter(([key]) => key === 'preprocess' || key === 'total') : STAGES.filter(([key]) => key !== 'reid' || timings?.reid !== undefined);
  return (
    <table className="timings" data-testid="timings">
      <tbody>
        {video && (
          <tr>
            <td>frame</td>
            <td data-testid="timing-frame-kind">{video.keyFrame ? 'key frame' : video.window ? `with frames ${[...new Set(video.window)].map((i) => i + 1).join(', ')}` : 'warped from its key frame'}</td>
          </tr>
        )}
        {video?.stages.map((s) => (
          <tr key={s.name}>
            <td>{s.name}</td>
            <td className="num" data-testid={`timing-${s.name}`}>
              {`${s.ms.toFixed(1)} ms`}
            </td>
          </tr>
        ))}
        {stages.map(([key, label]) => (
          <tr key={key}>
            <td>{label}</td>
            <td className="num" data-testid={`timing-${key}`}>
              {timings ? `${(timings[key] ?? 0).toFixed(1)} ms` : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
