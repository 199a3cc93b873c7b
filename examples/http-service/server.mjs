// A small HTTP service with a large in-memory data set, tuned by HugepageTuner and exposing
// Prometheus metrics. The data set is an array of fixed-size records: a hot part that every
// request updates (a hit counter per record, the way a cache keeps its statistics) and a cold
// part loaded once and rarely read. The tuner puts the hot part on 2 MiB pages; /metrics shows
// it happen.
//
//   node examples/http-service/server.mjs            (PORT, DATA_BYTES, HOT_BYTES, LOOKUPS)
//   curl localhost:8080/item/42    curl localhost:8080/metrics
//
// Run it from a checkout (the package refers to itself by name) or with thp-autotune and
// prom-client installed.
import { createServer } from 'node:http';
import { HugepageTuner, parseBytes } from 'thp-autotune';
import { registerTunerMetrics } from 'thp-autotune/prometheus';
import { Registry } from 'prom-client';

const RECORD = 64;
const dataBytes = parseBytes(process.env.DATA_BYTES ?? '512M', 'DATA_BYTES');
const hotBytes = parseBytes(process.env.HOT_BYTES ?? '64M', 'HOT_BYTES');
/** Records each request updates: an index probe touches many records, not one. */
const lookups = Number(process.env.LOOKUPS ?? 256);
const hotRecords = Math.floor(hotBytes / RECORD);
const records = Math.floor(dataBytes / RECORD);

// Large Buffers live outside the JavaScript heap in their own mappings, which can hold huge pages.
const data = Buffer.alloc(records * RECORD);
for (let r = 0; r < records; r++) data.writeUInt32LE(r, r * RECORD + 8); // load: every page resident

const tuner = new HugepageTuner({
  monitoring: { sampleInterval: '5ms', aggregationInterval: '100ms', maxRegions: 200 },
  schemes: [
    {
      pattern: { size: { min: '2M' }, accessRate: { min: '10%' } },
      quota: { time: '200ms', size: '1G', tuner: 'temporal', goals: [{ metric: 'hugepage_mem_bp', target: '100%' }] },
    },
  ],
});
tuner.on('error', (e) => console.error(`tuner: ${e.message}`));
tuner.start();

const registry = new Registry();
registerTunerMetrics(tuner, registry);

function lookup(id) {
  let sum = 0;
  for (let i = 0; i < lookups; i++) {
    // The records an id's probe visits, spread over the hot part (a multiplicative hash).
    const r = Math.imul(id + i, 0x9e3779b1) >>> 0;
    const offset = (r % hotRecords) * RECORD;
    data.writeUInt32LE(data.readUInt32LE(offset) + 1, offset); // hit counter
    sum += data.readUInt32LE(offset + 8);
  }
  return sum;
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/metrics') {
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
    return;
  }
  const item = /^\/item\/(\d+)$/.exec(url.pathname);
  if (item) {
    const id = Number(item[1]);
    // One request in twenty also reads a cold record (reads are invisible to the write sampler).
    const cold = id % 20 === 0 ? data.readUInt32LE((hotRecords + (id % (records - hotRecords))) * RECORD + 8) : 0;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id, sum: lookup(id) + cold }));
    return;
  }
  res.statusCode = 404;
  res.end('not found\n');
});

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ listening: typeof address === 'object' && address !== null ? address.port : address, dataBytes, hotBytes }));
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void tuner.stop();
  });
}
