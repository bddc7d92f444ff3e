// A deliberately minimal WebSocket client over a raw TCP socket, for benchmarks only: a Node `ws`
// client tops out near 1.2 M messages/s per process, so with it we would measure the client, not
// the server. Frames are read by their headers; payloads are only sliced out when asked for.
import net from 'node:net';

const HANDSHAKE_KEY = 'd2lyZXN0b3JlLWJlbmNoLTE='; // any 16 bytes, base64

/**
 * Opens a WebSocket to 127.0.0.1:port/path. `onFrame(opcode, payload, probe)` is called per
 * complete frame; `payload` is a Buffer only when `wantPayload` is set (else null, for counting).
 * `probe` is the payload's 4th byte when it came in the same chunk as the header (undefined
 * otherwise): enough to tell `{"topic"…` (an event) from `{"type"…` (any other frame) unparsed.
 */
export function connectWire({ port, path = '/ws', protocol, wantPayload = false, onFrame }) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let handshakeDone = false;
    let pending = Buffer.alloc(0);
    const headers = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${HANDSHAKE_KEY}`,
      'Sec-WebSocket-Version: 13',
      ...(protocol ? [`Sec-WebSocket-Protocol: ${protocol}`] : []),
      '',
      '',
    ];
    socket.once('error', reject);
    socket.write(headers.join('\r\n'));

    // Frame reader state survives chunk boundaries.
    let skip = 0; // payload bytes still to skip (counting mode)
    let payloadParts = null;
    let payloadLeft = 0;
    let opcode = 0;
    let probe;
    let leftover = null; // a header cut by a chunk boundary

    const readFrames = (chunk) => {
      const buf = leftover ? Buffer.concat([leftover, chunk]) : chunk;
      leftover = null;
      let offset = 0;
      while (offset < buf.length) {
        if (skip > 0) {
          const take = Math.min(skip, buf.length - offset);
          skip -= take;
          offset += take;
          if (skip === 0) onFrame(opcode, null, probe);
          continue;
        }
        if (payloadLeft > 0) {
          const take = Math.min(payloadLeft, buf.length - offset);
          payloadParts.push(buf.subarray(offset, offset + take));
          payloadLeft -= take;
          offset += take;
          if (payloadLeft === 0) onFrame(opcode, Buffer.concat(payloadParts));
          continue;
        }
        // Server frames are unmasked: a 2, 4 or 10 byte header.
        const available = buf.length - offset;
        const len7 = available >= 2 ? buf[offset + 1] & 0x7f : 0;
        const headerLength = len7 === 126 ? 4 : len7 === 127 ? 10 : 2;
        if (available < headerLength) {
          leftover = buf.subarray(offset);
          return;
        }
        opcode = buf[offset] & 0x0f;
        const length = len7 === 126 ? buf.readUInt16BE(offset + 2) : len7 === 127 ? Number(buf.readBigUInt64BE(offset + 2)) : len7;
        offset += headerLength;
        probe = length > 3 && offset + 3 < buf.length ? buf[offset + 3] : undefined;
        if (length === 0) onFrame(opcode, wantPayload ? Buffer.alloc(0) : null);
        else if (wantPayload) {
          payloadParts = [];
          payloadLeft = length;
        } else skip = length;
      }
    };

    socket.on('data', (chunk) => {
      if (handshakeDone) return readFrames(chunk);
      pending = Buffer.concat([pending, chunk]);
      const end = pending.indexOf('\r\n\r\n');
      if (end === -1) return;
      const status = pending.subarray(0, pending.indexOf('\r\n')).toString();
      if (!status.includes(' 101 ')) return reject(new Error(`upgrade refused: ${status}`));
      handshakeDone = true;
      const rest = pending.subarray(end + 4);
      pending = null;
      resolve({
        socket,
        /** Sends one text frame, masked with a zero key (so the payload bytes go as they are). */
        sendText(text) {
          const payload = Buffer.from(text);
          const length = payload.length;
          const head = length < 126 ? Buffer.from([0x81, 0x80 | length, 0, 0, 0, 0]) : Buffer.alloc(8);
          if (length >= 126) {
            if (length > 0xffff) throw new Error('bench frames stay under 64 KiB');
            head[0] = 0x81;
            head[1] = 0x80 | 126;
            head.writeUInt16BE(length, 2);
          }
          socket.write(Buffer.concat([head, payload]));
        },
        close: () => socket.destroy(),
      });
      if (rest.length > 0) readFrames(rest);
    });
  });
}
