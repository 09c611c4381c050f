'use strict';
// The book's zmq-watcher-sub.js on the zeromq 6 API: node watcher-sub.js bind|connect ENDPOINT
const zmq = require('zeromq');

const [mode, endpoint] = process.argv.slice(2);

async function main() {
  const subscriber = new zmq.Subscriber();
  subscriber.subscribe();
  if (mode === 'bind') {
    await subscriber.bind(endpoint);
    console.log('Listening on ' + subscriber.lastEndpoint);
  } else {
    subscriber.connect(endpoint);
    console.log('Connected to ' + endpoint);
  }
  for await (const [data] of subscriber) {
    const message = JSON.parse(data.toString());
    console.log('File "' + message.file + '" changed at ' + new Date(message.timestamp));
  }
}

main().catch(err => { console.error(err); process.exit(1); });
