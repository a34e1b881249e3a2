import { usePlayerStore } from '../player/player-store.ts';
import { inputFromFiles, inputFromFolder } from './drop-input.ts';

const VIDEO_ACCEPT = 'video/*,.mp4,.mov,.m4v,.webm,.mkv,.avi,.mpg,.mpeg,.ts,.mts,.m2ts,.wmv,.flv,.3gp,.ogv,image/*';

/** File picker for a video (or images) and a folder picker for an image sequence. */
export function OpenButtons() {
  const open = (input: ReturnType<typeof inputFromFiles>) => {
    if (input) void usePlayerStore.getState().open(input);
  };
  return (
    <div className="open-buttons">
      <label className="button">
        Open video…
        <input
          type="file"
          data-testid="video-input"
          accept={VIDEO_ACCEPT}
          onChange={(e) => {
            open(inputFromFiles(Array.from(e.target.files ?? [])));
            e.target.value = '';
          }}
        />
      </label>
      <label className="button">
        Open image folder…
        <input
          type="file"
          data-testid="folder-input"
          // @ts-expect-error -- non-standard but supported by every browser engine: pick a directory
          webkitdirectory=""
          multiple
          onChange={(e) => {
            open(inputFromFolder(Array.from(e.target.files ?? [])));
            e.target.value = '';
          }}
        />
      </label>
    </div>
  );
}
