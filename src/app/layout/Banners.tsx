import { useExportStore } from '../export/export-store.ts';
import { usePlayerStore } from '../player/player-store.ts';

/** The error line (file name + reason) above the video; dismissable, never blocking. */
export function Banners() {
  const error = usePlayerStore((s) => s.error);
  const exportError = useExportStore((s) => s.error);
  const message = error ?? exportError;
  return (
    <>
      {message && (
        <div className="banner banner-error" role="alert">
          <span data-testid="error">{message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => { usePlayerStore.setState({ error: null }); useExportStore.setState({ error: null }); }}>×</button>
        </div>
      )}
    </>
  );
}
