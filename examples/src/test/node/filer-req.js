'use strict';
// The book's zmq-filer-req.js on the zeromq 6 API: node filer-req.js FILE bind|connect ENDPOINT
const zmq = require('zeromq');

const [file, mode, endpoint] = process.argv.slice(2);

async function main() {
  const requester = new zmq.Request();
  if (mode === 'bind') {
    await requester.bind(endpoint);
    console.log('Listening on ' + requester.lastEndpoint);
  } else {
    requester.connect(endpoint);
  }
  console.log('Sending request for ' + file);
  await requester.send(JSON.stringify({path: file}));
  const [reply] = await requester.receive();
  console.log('Received response: ' + reply.toString());
  requester.close();
}

main().catch(err => { console.error(err); process.exit(1); });
