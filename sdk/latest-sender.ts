/**
 * Latest-value sends from the client (cursor moves and the like): per key, at most one send in
 * flight and one waiting, the waiting one replaced by newer values. While the server reports
 * pressure, sends of each key are spaced out further.
 * @internal
 */
export class LatestSender {
  readonly #keys = new Map<string, { inFlight: boolean; waiting: (() => Promise<unknown>) | undefined }>();

  constructor(
    private readonly underPressure: () => boolean,
    private readonly spacingMs: { normal: number; pressure: number } = { normal: 0, pressure: 250 },
  ) {}

  send(key: string, send: () => Promise<unknown>): void {
    let slot = this.#keys.get(key);
    if (!slot) this.#keys.set(key, (slot = { inFlight: false, waiting: undefined }));
    if (slot.inFlight) {
      slot.waiting = send;
      return;
    }
    this.#run(key, slot, send);
  }

  #run(key: string, slot: { inFlight: boolean; waiting: (() => Promise<unknown>) | undefined }, send: () => Promise<unknown>): void {
    slot.inFlight = true;
    const spacing = this.underPressure() ? this.spacingMs.pressure : this.spacingMs.normal;
    void send()
      .catch(() => undefined) // a lost cursor move is replaced by the next one
      .then(() => new Promise((resolve) => setTimeout(resolve, spacing)))
      .then(() => {
        slot.inFlight = false;
        const next = slot.waiting;
        slot.waiting = undefined;
        if (next) this.#run(key, slot, next);
        else this.#keys.delete(key);
      });
  }
}
