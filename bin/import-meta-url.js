// esbuild inject for the CommonJS Electron bundle: gives import.meta.url a value.
export const importMetaUrl = require('url').pathToFileURL(__filename).href;
