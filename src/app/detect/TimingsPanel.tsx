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
  return (
    <table className="timings" data-testid="timings">
      <tbody>
        {STAGES.filter(([key]) => key !== 'reid' || timings?.reid !== undefined).map(([key, label]) => (
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
