// The loopback proxy lives with wirestore/testing, which ships it; the project's own tests import it here.
export { TcpProxy } from '../testing/tcp-proxy';
