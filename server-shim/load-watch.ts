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

/**
 * Every 100 ms, closes with 4008 each socket whose send buffer passed `maxBackpressureBytes`: its
 * client reconnects and resumes from the replay buffer, so nothing reliable is lost and memory
 * stays bounded. (uWS itself cuts at 4× the limit, between two sweeps.) `onTick` rides along.
 */
export function startSlowConsumerWatchdog(
  sockets: ReadonlyMap<string, LiveSocket>,
  maxBackpressureBytes: number,
  onTick: () => void,
): ReturnType<typeof setInterval> {
  const watchdog = setInterval(() => {
    onTick();
    for (const ws of sockets.values()) {
      if (ws.getBufferedAmount() > maxBackpressureBytes) ws.end(CloseCode.SLOW_CONSUMER, 'slow consumer');
    }
  }, 100);
  watchdog.unref?.();
  return watchdog;
}
