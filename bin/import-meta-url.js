// esbuild inject for the CommonJS Electron bundle: gives import.meta.url a value.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS bundle shim
export const importMetaUrl = require('url').pathToFileURL(__filename).href;
