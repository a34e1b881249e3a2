// ONNX Runtime's wasm backend runs on several threads only in a cross-origin isolated page (SharedArrayBuffer). The
// dev server, preview and the documented hosting send COOP/COEP (docs/hosting.md); where a host cannot, the service
// worker public/coi-sw.js adds them and the page reloads once under it. `?coi=0` opts out (one thread).

/** Where the fallback has been tried in this tab, so a browser that refuses it is not reloaded again and again. */
const TRIED = 'mmtrack.coi-sw-tried';

/**
 * Resolves true when the page is about to reload under the service worker (the app should not start), false when it
 * is isolated already or the fallback cannot apply (then the workers run one wasm thread, as they say).
 */
export async function ensureCrossOriginIsolation(win: Window = window): Promise<boolean> {
  if (win.crossOriginIsolated || !win.isSecureContext || !('serviceWorker' in win.navigator)) return false;
  if (new URLSearchParams(win.location.search).get('coi') === '0') return false;
  if (win.sessionStorage.getItem(TRIED)) return false;
  win.sessionStorage.setItem(TRIED, '1');
  try {
    const registration = await win.navigator.serviceWorker.register(new URL('coi-sw.js', win.document.baseURI), { scope: './' });
    await win.navigator.serviceWorker.ready;
    // Reload so the page itself comes through the worker with the headers.
    if (registration.active) {
      win.location.reload();
      return true;
    }
  } catch {
    // No service worker (private mode, a file:// page): one thread.
  }
  return false;
}
