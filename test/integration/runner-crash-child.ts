// Child process for the runner crash test: runs the runner on a data directory against a SUNAT URL until killed.
import { createApp } from '../../src-main/app';
import { createRunner } from '../../src-main/jobs/start';

const [dataDir, url] = process.argv.slice(2);
const app = createApp({ dataDir });
const runner = createRunner({ app, sunat: { url, connectTimeoutMs: 1000, responseTimeoutMs: 5000 }, options: { pollMs: 20, heartbeatMs: 0 } });
runner.start();
process.stdout.write('started\n');
process.on('SIGTERM', () => {
  void runner.stop().then(() => app.close()).then(() => process.exit(0));
});
