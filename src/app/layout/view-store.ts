import { create } from 'zustand';

/** The centre area's views: the video player, the evaluation view, the training-log curves, evaluation reports. */
export type CentreView = 'video' | 'eval' | 'logs' | 'reports';

export const useViewStore = create<{ view: CentreView; setView: (v: CentreView) => void }>()((set) => ({
  view: 'video',
  setView: (view) => set({ view }),
}));
