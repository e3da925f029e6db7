/**
 * The message a page's Toast shows: `show` puts it up for a few seconds, and a newer message
 * replaces it and starts the wait again. A class (not component exports) so pages call it typed.
 */
export class ToastMessage {
  current = $state<{ text: string; tone: 'ok' | 'error' } | null>(null);
  readonly durationMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(durationMs = 3500) {
    this.durationMs = durationMs;
  }

  show(text: string, tone: 'ok' | 'error' = 'ok'): void {
    this.current = { text, tone };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.current = null), this.durationMs);
  }

  /** Stops the pending hide (the Toast calls this when its page goes away). */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}
