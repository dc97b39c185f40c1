// The rate and time left of a running job, from the items done over the last half minute:
// long enough to smooth the steps of batch-wise progress, short enough to follow a rate
// limit that starts or ends. Memory is bounded: at most one sample per 100 ms of the window.

const WINDOW_MS = 30_000;
// Updates closer together than this replace the last sample: at most ~300 samples a window.
const RESOLUTION_MS = 100;

export class JobMeter {
  constructor(now = () => Date.now()) {
    this.now = now;
    this.samples = [];
  }

  /** Forgets the samples: the rate of a paused job starts again when it runs. */
  reset() {
    this.samples = [];
  }

  /** Records that `done` items are done now. */
  record(done) {
    const at = this.now();
    const last = this.samples[this.samples.length - 1];
    if (this.samples.length > 1 && at - this.samples[this.samples.length - 2].at < RESOLUTION_MS) {
      Object.assign(last, { at, done });
    } else {
      this.samples.push({ at, done });
    }
    while (this.samples.length > 2 && this.samples[1].at <= at - WINDOW_MS) this.samples.shift();
  }

  /** Items per second over the window (0 until there are two samples a moment apart). */
  get rate() {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || last.at - first.at < 250) return 0;
    return ((last.done - first.done) * 1000) / (last.at - first.at);
  }

  /** Seconds until `total`, or null while the rate is unknown. */
  secondsLeft(done, total) {
    const rate = this.rate;
    return rate > 0 ? Math.ceil((total - done) / rate) : null;
  }
}
