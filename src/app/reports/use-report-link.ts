import { useEffect } from 'react';
import { useReportsStore } from './reports-store.ts';

/** Opens the report a `#report=v1...` link carries, on page load and when the fragment changes. */
export function useReportLink(): void {
  useEffect(() => {
    const open = () => void useReportsStore.getState().openFragment(location.hash);
    open();
    window.addEventListener('hashchange', open);
    return () => window.removeEventListener('hashchange', open);
  }, []);
}
