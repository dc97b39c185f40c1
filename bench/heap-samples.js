// The arithmetic of a heap-growth measurement, shared by Node (bench/heap-child.js) and
// Chromium (bench/chromium.js), which read memory differently. Each sample has four
// readings { heap, offHeap }: before the call, after it (output kept), after a collection
// (retained: the output), after dropping the output and collecting (left behind). Figures
// compared are heap + off-heap, relative to the first reading.
import { median } from './timing.js';

export class HeapSamples {
  constructor() {
    this.heap = [];
    this.offHeap = [];
    this.growth = [];
    this.retained = [];
    this.left = [];
  }

  /** Records one sample from its four readings. */
  add(before, afterCall, afterCollect, afterDrop) {
    const total = (u) => u.heap + u.offHeap - before.heap - before.offHeap;
    this.heap.push(afterCall.heap - before.heap);
    this.offHeap.push(afterCall.offHeap - before.offHeap);
    this.growth.push(total(afterCall));
    this.retained.push(total(afterCollect));
    this.left.push(total(afterDrop));
  }

  /** The medians, as a contender's entry of the heap result file. */
  summary(outputChars) {
    return {
      growth_bytes: median(this.growth),
      retained_with_output_bytes: median(this.retained),
      left_after_drop_bytes: median(this.left),
      v8_heap_growth_bytes: median(this.heap),
      off_heap_growth_bytes: median(this.offHeap),
      output_chars: outputChars,
      samples: this.growth.length,
    };
  }
}
