// getUserMedia's failures (https://w3c.github.io/mediacapture-main/#dom-mediadevices-getusermedia) in the user's terms.

/** The camera errors getUserMedia gives, in the user's terms. */
export function cameraErrorMessage(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  const text = err instanceof Error ? err.message : String(err);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission was denied: allow the camera for this page (address bar → site settings) and press Start again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return name === 'NotFoundError' ? 'No camera was found: connect one and press Start again.' : `The camera cannot give that device or resolution (${text}): pick another.`;
    case 'NotReadableError':
    case 'AbortError':
      return `The camera could not be started (another application may be using it): ${text}`;
    default:
      return `The camera could not be started: ${text}`;
  }
}
