import { describe, expect, it } from 'vitest';
import { cameraErrorMessage } from './camera-errors.ts';

describe('cameraErrorMessage', () => {
  it('says what to do for each getUserMedia failure', () => {
    const e = (name: string, message = '') => new DOMException(message, name);
    expect(cameraErrorMessage(e('NotAllowedError'))).toMatch(/^Camera permission was denied: allow the camera/);
    expect(cameraErrorMessage(e('NotFoundError'))).toBe('No camera was found: connect one and press Start again.');
    expect(cameraErrorMessage(e('OverconstrainedError', 'width'))).toBe('The camera cannot give that device or resolution (width): pick another.');
    expect(cameraErrorMessage(e('NotReadableError', 'busy'))).toMatch(/another application may be using it\): busy$/);
    expect(cameraErrorMessage(new Error('odd'))).toBe('The camera could not be started: odd');
  });
});
