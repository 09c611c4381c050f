// The seed's API, done properly: an http server that relays each request, with a request id, over one persistent
// TCP connection to the JSON-line service, and answers with the reply of that id.
// node http.js PORT SERVICE_PORT   (PORT 0: any free port); prints "ready PORT" once it listens.
'use strict';
const http = require('http');
const net = require('net');

const pending = new Map();
let nextId = 0;
let buffered = '';
const service = net.connect(Number(process.argv[3]), '127.0.0.1');
service.setNoDelay(true);
service.on('data', (chunk) => {
  buffered += chunk.toString('utf8');
  for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
    const reply = JSON.parse(buffered.slice(0, nl));
    buffered = buffered.slice(nl + 1);
    const res = pending.get(reply.id);
    if (res) {
      pending.delete(reply.id);
      const body = JSON.stringify(reply.res !== undefined ? reply.res : { err: reply.err });
      res.writeHead(reply.res !== undefined ? 200 : 500, { 'Content-Type': 'application/json' });
      res.end(body);
    }
  }
});
service.on('error', (e) => {
  console.error('service connection: ' + e.message);
  process.exit(1);
});

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' || req.url !== '/hello') {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"err":"no route"}');
    return;
  }
  const id = ++nextId;
  pending.set(id, res);
  service.write(JSON.stringify({ id: id, cmd: 'hello', payload: {} }) + '\n');
});
server.keepAliveTimeout = 60000;
service.on('connect', () => {
  server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
    console.log('ready ' + server.address().port);
  });
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
