/** The repo's configs/ (`.py`, `.json`, `.yaml`), bundled into the app as text: `{ 'configs/mot/...py': text }`. */
const modules: Record<string, string> = import.meta.glob('/configs/**/*.{py,json,yaml,yml}', { query: '?raw', import: 'default', eager: true });

export const bundledConfigs: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(modules).map(([path, text]) => [path.replace(/^\//, ''), text]),
);
