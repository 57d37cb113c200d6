// Bench: signed documents sent per second to the simulator on loopback, and where the time goes.
import { createSunatClient, endpointsFor, type SunatClient } from '../../src-main/sunat/client';
import { startSimulator } from '../../src-main/sunat/simulator';
import { signedFixture, TEST_RUC } from '../helpers/sign-fixture';

interface Level {
  sends_per_s: number;
  mean_ms: number;
  p95_ms: number;
  /** Mean time inside the simulator (zip, XML, signature check, rules, CDR signing), measured server-side. */
  simulator_ms: number;
}

export async function benchSunat(opts: { json: boolean }): Promise<void> {
  const sim = await startSimulator({ port: 0 });
  const perLevel = 200;
  const levels = [1, 4, 16];
  // Sign before timing: the bench measures the wire and SUNAT's side, not our signer.
  let number = 0;
  const docs = Array.from({ length: perLevel * levels.length + 20 }, () => signedFixture({ number: ++number, lines: ['10.00', '25.50', '3.99'] }));
  const result: Record<string, Level> = {};
  try {
    const warm = createSunatClient({ endpoints: endpointsFor('custom', sim.url), ruc: TEST_RUC, solUser: 'MODDATOS', solPassword: 'moddatos' });
    for (const d of docs.splice(0, 20)) await warm.sendBill(d.fileName, d.zip);
    warm.close();
    for (const c of levels) {
      const client: SunatClient = createSunatClient({ endpoints: endpointsFor('custom', sim.url), ruc: TEST_RUC, solUser: 'MODDATOS', solPassword: 'moddatos' });
      const batch = docs.splice(0, perLevel);
      const before = sim.stats();
      const latencies: number[] = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: c }, async () => {
          while (next < batch.length) {
            const d = batch[next++];
            const s = performance.now();
            const out = await client.sendBill(d.fileName, d.zip);
            if (out.kind !== 'accepted') throw new Error(`bench: resultado inesperado ${out.kind}`);
            latencies.push(performance.now() - s);
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const after = sim.stats();
      client.close();
      latencies.sort((a, b) => a - b);
      result[String(c)] = {
        sends_per_s: Math.round(batch.length / seconds),
        mean_ms: +(latencies.reduce((a, b) => a + b, 0) / latencies.length).toFixed(2),
        p95_ms: +latencies[Math.floor(latencies.length * 0.95)].toFixed(2),
        simulator_ms: +((after.processingMs - before.processingMs) / (after.requests - before.requests)).toFixed(2),
      };
    }
  } finally {
    await sim.close();
  }
  const out = {
    sends_per_s: Object.fromEntries(Object.entries(result).map(([k, v]) => [k, v.sends_per_s])),
    levels: result,
    note: 'simulator_ms = server-side processing per request; the rest of mean_ms is client + HTTP on loopback (one connection per send)',
  };
  if (opts.json) process.stdout.write(JSON.stringify(out) + '\n');
  else {
    process.stdout.write('SUNAT simulator, loopback, validation on\n');
    for (const [c, v] of Object.entries(result)) {
      process.stdout.write(
        `  concurrency ${c.padStart(2)}: ${String(v.sends_per_s).padStart(5)} sends/s  mean ${v.mean_ms} ms  p95 ${v.p95_ms} ms  (simulator ${v.simulator_ms} ms of it)\n`,
      );
    }
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  await benchSunat({ json: process.argv.includes('--json') });
}
