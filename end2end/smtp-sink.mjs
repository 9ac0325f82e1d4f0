// A tiny SMTP server for the browser tests: accepts every message and appends it, decoded from
// quoted-printable, to the JSON-lines file named by MAIL_LOG.
import net from 'node:net';
import fs from 'node:fs';

const port = Number(process.env.SMTP_PORT ?? 2525);
const log = process.env.MAIL_LOG ?? 'mails.jsonl';
fs.writeFileSync(log, '');

const decode = (text) => text
  .replace(/=\r?\n/g, '')
  .replace(/(=[0-9A-F]{2})+/g, (run) => Buffer.from(run.split('=').slice(1).map((h) => parseInt(h, 16))).toString('utf8'));

net.createServer((socket) => {
  let buffer = '';
  let inData = false;
  let to = [];
  let data = '';
  socket.write('220 sink ESMTP\r\n');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let index;
    while ((index = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      if (inData) {
        if (line === '.') {
          inData = false;
          fs.appendFileSync(log, JSON.stringify({ to, text: decode(data) }) + '\n');
          socket.write('250 queued\r\n');
        } else {
          data += line + '\n';
        }
        continue;
      }
      const command = line.toUpperCase();
      if (command.startsWith('RCPT TO')) to.push(line.slice(8).replace(/[<>:]/g, '').trim());
      if (command.startsWith('MAIL FROM')) { to = []; data = ''; }
      if (command.startsWith('DATA')) { inData = true; socket.write('354 go ahead\r\n'); continue; }
      if (command.startsWith('QUIT')) { socket.end('221 bye\r\n'); return; }
      socket.write('250 OK\r\n');
    }
  });
}).listen(port, '127.0.0.1');
