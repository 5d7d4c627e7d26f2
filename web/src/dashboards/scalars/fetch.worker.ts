// Fetches and reads scalar columns off the main thread (see columns.ts), which is left
// to draw; the arrays are handed over without a copy.

import { buffersOf, readSeries, readWallTimes } from "./columns";
import type { ColumnsReply, ColumnsRequest } from "./fetcher";

self.onmessage = async (event: MessageEvent<ColumnsRequest>) => {
  const { id, url, tag, smoothing, wallTimesOnly } = event.data;
  let reply: ColumnsReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const body = await response.arrayBuffer();
    if (wallTimesOnly) {
      const walls = readWallTimes(body);
      reply = { id, walls };
      transfer = buffersOf([...walls.values()].map((wall) => wall.offset));
    } else {
      const series = readSeries(body, tag, smoothing);
      reply = { id, series };
      transfer = buffersOf(series.flatMap((s) => [s.step, s.value, s.smoothed.values, s.wall?.offset]));
    }
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  (self as unknown as Worker).postMessage(reply, transfer);
};
