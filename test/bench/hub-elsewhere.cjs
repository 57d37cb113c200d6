// `npm run bench -- hub --hub-elsewhere MS`: a stand-in for a hub on another machine, as a process of its own. It
// reads each push, answers that everything in it was applied, MS ms after the body arrived, and does nothing else:
// the till's drain goes over real HTTP on 127.0.0.1 at about a real hub's pace, while this machine's cores and disk
// stay the till's alone. Plain CommonJS, started with node (no TypeScript loader).
const http = require('node:http');
const { Buffer } = require('node:buffer');
const { setTimeout } = require('node:timers');

const delayMs = Number(process.argv[2] ?? 10);
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let toSeq = 0;
    try {
      toSeq = JSON.parse(Buffer.concat(chunks).toString('utf8')).toSeq ?? 0;
    } catch {
      // not a push: nothing applied
    }
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ appliedSeq: toSeq, serverTime: new Date().toISOString() }));
    }, delayMs);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`hub elsewhere on http://127.0.0.1:${server.address().port}\n`));
