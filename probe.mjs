import { spawn } from 'node:child_process';
const kind = process.argv[2];
const server = spawn('taskset', ['-c', '0', process.execPath, ...(process.argv[3] ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), 'bench/servers.mjs', kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const { port } = await new Promise((r) => server.on('message', r));
const client = spawn('taskset', ['-c', '0', process.execPath, 'bench/rtt-client.mjs', port, kind, 20000, 2000, 64], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = ''; client.stdout.on('data', (c) => (out += c));
await new Promise((r) => client.on('exit', r));
console.log(kind, out.trim());
server.send({ cmd: 'exit' });
