// Fetches and reads scalar columns off the main thread (see columns.ts), which is left
// to draw; each tag's arrays are handed over without a copy as soon as they are read.

import { arraysOf, readBody } from "./columns";
import type { ColumnsReply, ColumnsRequest } from "./fetcher";

const post = (reply: ColumnsReply, arrays: ArrayBufferView[] = []) =>
  (self as unknown as Worker).postMessage(reply, [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))]);

self.onmessage = async (event: MessageEvent<ColumnsRequest>) => {
  const { id, url, tags, smoothing } = event.data;
  const done = new Set<string>();
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    for await (const frame of frames(response.body!)) {
      const body = readBody(frame, smoothing);
      done.add(body.tag);
      post({ id, body }, arraysOf(body));
    }
    if (done.size < tags.length) throw new Error("the response ended early");
  } catch (error) {
    for (const tag of tags) if (!done.has(tag)) post({ id, failed: { tag, message: (error as Error).message } });
  }
};

/** The frames of a `/api/scalars/columns/stream` body: each a uint32 length, then that
 * many bytes. */
async function* frames(stream: ReadableStream<Uint8Array>): AsyncGenerator<ArrayBuffer> {
  const reader = stream.getReader();
  const length = new Uint8Array(4);
  let frame: Uint8Array | null = null;
  let filled = 0;
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) return;
    for (let at = 0; at < chunk.length; ) {
      const target = frame ?? length;
      const part = Math.min(target.length - filled, chunk.length - at);
      target.set(chunk.subarray(at, at + part), filled);
      filled += part;
      at += part;
      if (filled < target.length) continue;
      filled = 0;
      if (frame) {
        yield frame.buffer as ArrayBuffer;
        frame = null;
      } else frame = new Uint8Array(new DataView(length.buffer).getUint32(0, true));
    }
  }
}
