// Cross-origin isolation for hosts that cannot set response headers (GitHub Pages and the like): this service worker
// adds COOP/COEP to the app's own responses, which gives the page SharedArrayBuffer and so ONNX Runtime's wasm
// threads. Registered by src/app/cross-origin-isolation.ts only when the page is not isolated already; a host that
// sends the headers (npm start, preview, docs/hosting.md) never installs it.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Only what the app serves itself; an only-if-cached request from another origin cannot be replayed.
  if (new URL(request.url).origin !== self.location.origin || (request.cache === 'only-if-cached' && request.mode !== 'same-origin')) return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
