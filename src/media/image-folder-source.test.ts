import { describe, expect, it } from 'vitest';
import { isImageFile, sortFramesByName } from './image-folder-source.ts';

describe('image folders', () => {
  it("sorts like Python's sorted(os.listdir()) (code points, not natural order)", () => {
    const names = ['000010.jpg', '000002.jpg', 'B.jpg', 'a.jpg', '000001.jpg', '10.jpg', '9.jpg'];
    expect(sortFramesByName(names.map((name) => ({ name }))).map((f) => f.name)).toEqual(['000001.jpg', '000002.jpg', '000010.jpg', '10.jpg', '9.jpg', 'B.jpg', 'a.jpg']);
  });
  it('recognises images by type or extension', () => {
    expect(isImageFile({ name: 'x.JPG', type: '' })).toBe(true);
    expect(isImageFile({ name: 'x', type: 'image/png' })).toBe(true);
    expect(isImageFile({ name: 'gt.txt', type: 'text/plain' })).toBe(false);
    expect(isImageFile({ name: 'clip.mp4', type: 'video/mp4' })).toBe(false);
  });
});
