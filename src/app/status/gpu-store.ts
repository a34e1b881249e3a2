import { create } from 'zustand';

export interface GpuState {
  /** `checking`, then a description of the adapter or why WebGPU is unavailable. */
  status: 'checking' | 'available' | 'unavailable';
  adapter: string | null;
  reason: string | null;
  detect: () => Promise<void>;
}

/** Describes the WebGPU adapter the app will use (the status bar shows it). */
export const useGpuStore = create<GpuState>()((set) => ({
  status: 'checking',
  adapter: null,
  reason: null,
  async detect() {
    if (!('gpu' in navigator)) return set({ status: 'unavailable', reason: 'this browser has no navigator.gpu' });
    try {
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) return set({ status: 'unavailable', reason: 'no GPU adapter (blocklisted or disabled)' });
      const { vendor, architecture, description, device } = adapter.info;
      const name = [vendor, architecture, description || device].filter(Boolean).join(' · ') || 'unnamed adapter';
      set({ status: 'available', adapter: name });
    } catch (err) {
      set({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) });
    }
  },
}));
