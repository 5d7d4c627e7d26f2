// Fetches and reads scalar columns off the main thread (see columns.ts), which is left
// to draw; the arrays are handed over without a copy.

import { buffersOf, readColumns } from "./columns";
import type { ColumnsReply, ColumnsRequest } from "./fetcher";

self.onmessage = async (event: MessageEvent<ColumnsRequest>) => {
  const { id, url, tag, smoothing } = event.data;
  let reply: ColumnsReply;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    reply = { id, series: readColumns(await response.arrayBuffer(), tag, smoothing) };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  (self as unknown as Worker).postMessage(reply, reply.series ? buffersOf(reply.series) : []);
};
