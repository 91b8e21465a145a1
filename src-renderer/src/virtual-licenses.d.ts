declare module 'virtual:licenses' {
  /** Built by `licenses()` in electron.vite.config.ts from scripts/licenses.ts. */
  const licenses: {
    name: string;
    version: string;
    license: string;
    text: string | null;
    repository: string | null;
  }[];
  export default licenses;
}
