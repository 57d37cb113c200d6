// `npm run bench -- <name> [--json]`: performance figures, printed (targets are met here, not in timed tests);
// `hub` also takes --quick (everything small: a check that it runs).
export {};

const [benchName, ...rest] = process.argv.slice(2);
const json = rest.includes('--json');

const benches: Record<string, () => Promise<void>> = {
  checkout: async () => (await import('./checkout')).benchCheckout({ json }),
  documents: async () => (await import('./documents')).benchDocuments({ json }),
  sunat: async () => (await import('./sunat')).benchSunat({ json }),
  queue: async () => (await import('./queue')).benchQueue({ json }),
  reports: async () => (await import('./reports')).benchReports({ json }),
  catalog: async () => (await import('./catalog')).benchCatalog({ json }),
  hub: async () => (await import('./hub')).benchHub({ json }),
};

if (!benchName || !benches[benchName]) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [--json]`);
  process.exit(2);
}
await benches[benchName]();
