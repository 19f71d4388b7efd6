/**
 * The dashboard's built files, keyed by name (`index.html`, `main-<hash>.js`, `main-<hash>.css`). The module
 * beside this declaration is written by lib/dashboard-assets.ts (at synth, `npm start`, and before the tests).
 */
export declare const ASSETS: Readonly<Record<string, { type: string; body: string; immutable: boolean }>>;
