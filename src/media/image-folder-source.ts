import type { FrameSource } from './frame-source.ts';
import { MediaOpenError, type VideoInfo } from './video-info.ts';

const IMAGE_EXT = /\.(jpe?g|png|bmp|webp|gif|avif)$/i;

export function isImageFile(file: { name: string; type: string }): boolean {
  return file.type.startsWith('image/') || IMAGE_EXT.test(file.name);
}

/** Frames of an image folder in file-name order, as MMTracking's `sorted(os.listdir(...))` (code-point order). */
export function sortFramesByName<T extends { name: string }>(files: T[]): T[] {
  return [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Opens a folder of images as a video (fps 30, as MMTracking's demos assume for folders). */
export async function openImageFolder(files: File[], folderName: string, fps = 30): Promise<FrameSource> {
  const images = sortFramesByName(files.filter(isImageFile));
  if (images.length === 0) throw new MediaOpenError(folderName, `no image files in the folder (${files.length} other files); expected .jpg/.png/... frames`);
  const first = await decode(images[0] as File, folderName);
  const info: VideoInfo = {
    name: folderName,
    width: first.width,
    height: first.height,
    frameCount: images.length,
    fps,
    codec: (images[0] as File).type || 'image',
    container: 'image folder',
    path: 'images',
  };
  first.close();
  return {
    info,
    frame: (index) => {
      const file = images[index];
      if (!file) return Promise.reject(new RangeError(`${folderName}: frame ${index + 1} is outside 1..${images.length}`));
      return decode(file, folderName);
    },
    close: () => undefined,
  };
}

async function decode(file: File, folderName: string): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file);
  } catch {
    throw new MediaOpenError(`${folderName}/${file.name}`, 'the image cannot be decoded (corrupt or unsupported format)');
  }
}
