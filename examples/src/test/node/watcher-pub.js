'use strict';
// The book's zmq-watcher-pub.js on the zeromq 6 API: node watcher-pub.js FILE bind|connect ENDPOINT
const fs = require('fs');
const zmq = require('zeromq');

const [file, mode, endpoint] = process.argv.slice(2);

async function main() {
  const publisher = new zmq.Publisher();
  if (mode === 'bind') {
    await publisher.bind(endpoint);
    console.log('Listening for zmq subscribers on ' + publisher.lastEndpoint);
  } else {
    publisher.connect(endpoint);
    console.log('Connected to ' + endpoint);
  }
  let sending = Promise.resolve();
  fs.watch(file, () => {
    const message = JSON.stringify({type: 'changed', file: file, timestamp: Date.now()});
    // zeromq 6 allows one send in flight per socket: queue them
    sending = sending.then(() => publisher.send(message)).catch(err => console.error(err));
  });
}

main().catch(err => { console.error(err); process.exit(1); });
