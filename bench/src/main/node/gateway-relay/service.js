// The seed's service, done properly: newline-delimited JSON over TCP, each answer carrying its request's id.
// node service.js PORT   (0: any free port); prints "ready PORT" once it listens.
'use strict';
const net = require('net');

const RESULT = { greeting: 'hello', from: 'bench' };

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let buffered = '';
  socket.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    let out = '';
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let request;
      try {
        request = JSON.parse(line);
      } catch (e) {
        out += JSON.stringify({ err: 'malformed JSON: ' + e.message }) + '\n';
        continue;
      }
      out += JSON.stringify(request.cmd === 'hello' ? { id: request.id, res: RESULT }
        : { id: request.id, err: 'unknown cmd' }) + '\n';
    }
    if (out) {
      socket.write(out);   // one write per read: the answers to everything that read brought
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log('ready ' + server.address().port);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
