'use strict';
// The book's zmq-filer-rep.js on the zeromq 6 API: node filer-rep.js bind|connect ENDPOINT
// (like the book, it serves any path it is given, relative to its working directory; tests only)
const fs = require('fs');
const zmq = require('zeromq');

const [mode, endpoint] = process.argv.slice(2);

async function main() {
  const responder = new zmq.Reply();
  if (mode === 'bind') {
    await responder.bind(endpoint);
    console.log('Listening for zmq requesters on ' + responder.lastEndpoint);
  } else {
    responder.connect(endpoint);
    console.log('Connected to ' + endpoint);
  }
  for await (const [data] of responder) {
    const request = JSON.parse(data.toString());
    console.log('Received request to get: ' + request.path);
    let reply;
    try {
      reply = {content: fs.readFileSync(request.path).toString(), timestamp: Date.now(), pid: process.pid};
    } catch (err) {
      reply = {error: err.message};
    }
    await responder.send(JSON.stringify(reply));
  }
}

main().catch(err => { console.error(err); process.exit(1); });
