import { useEffect } from 'react';
import { usePlayerStore } from './player-store.ts';

/** Space plays/pauses, ←/→ step one frame (Shift: ten), Home/End jump; ignored while typing in a field. */
export function usePlayerKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = t instanceof HTMLInputElement ? !['range', 'checkbox', 'file', 'button', 'radio'].includes(t.type) : !!t && (t.isContentEditable || ['TEXTAREA', 'SELECT'].includes(t.tagName));
      if (typing) return;
      const player = usePlayerStore.getState();
      if (!player.info) return;
      const n = e.shiftKey ? 10 : 1;
      if (e.key === ' ') player.togglePlay();
      else if (e.key === 'ArrowRight') void player.step(n);
      else if (e.key === 'ArrowLeft') void player.step(-n);
      else if (e.key === 'Home') void player.seek(0);
      else if (e.key === 'End') void player.seek(player.info.frameCount - 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
