import { CloseCode } from '../protocol/close-codes';
import type { Logger } from './options';
import { PressureSampler, type PressureOptions, type PressureSnapshot } from './pressure';
import type { LiveSocket } from './socket-data';
import type { Topics } from './topics';

/** Samples the hub's own counters for the pressure signal; `onTransition` tells the clients. */
export function startPressureSignal(
  options: PressureOptions,
  topics: Topics,
  sockets: ReadonlyMap<string, LiveSocket>,
  logger: Logger,
  onTransition: (snapshot: PressureSnapshot) => void,
): PressureSampler {
  const sampler = new PressureSampler(
    options,
    {
      takePublishCount: () => {
        const count = topics.publishCount;
        topics.publishCount = 0;
        return count;
      },
      connections: () => sockets.size,
      subscriptions: () => topics.subscriptionCount,
    },
    (error) => logger.error('[wirestore] an onPressure listener threw:', error),
  );
  sampler.onTransition(onTransition);
  sampler.start();
  return sampler;
}

/** What the watchdog needs of a socket (a uWS socket; a stub in tests). */
export interface WatchedSocket {
  getBufferedAmount(): number;
  end(code: number, reason: string): void;
}

/**
 * One sweep of the slow-consumer watchdog: closes with 4008 every socket whose send buffer is
 * over `maxBackpressureBytes` and did not shrink since the last sweep. Its client reconnects and
 * resumes from the replay buffer, so nothing reliable is lost and memory stays bounded. A socket
 * that is over the limit but draining (a large subscribe reply on its way out) is left alone:
 * cutting it would only make the client ask for the same reply again.
 * @internal
 */
export function sweepSlowConsumers(
  sockets: Iterable<WatchedSocket>,
  maxBackpressureBytes: number,
  lastSeen: WeakMap<WatchedSocket, number>,
): void {
  for (const ws of sockets) {
    const buffered = ws.getBufferedAmount();
    const before = lastSeen.get(ws);
    if (buffered > maxBackpressureBytes) {
      if (before !== undefined && buffered >= before) {
        lastSeen.delete(ws);
        ws.end(CloseCode.SLOW_CONSUMER, 'slow consumer');
      } else lastSeen.set(ws, buffered);
    } else if (before !== undefined) lastSeen.delete(ws);
  }
}

/** Runs {@link sweepSlowConsumers} every 100 ms; `onTick` rides along. */
export function startSlowConsumerWatchdog(
  sockets: ReadonlyMap<string, LiveSocket>,
  maxBackpressureBytes: number,
  onTick: () => void,
): ReturnType<typeof setInterval> {
  const lastSeen = new WeakMap<WatchedSocket, number>();
  const watchdog = setInterval(() => {
    onTick();
    sweepSlowConsumers(sockets.values(), maxBackpressureBytes, lastSeen);
  }, 100);
  watchdog.unref?.();
  return watchdog;
}
