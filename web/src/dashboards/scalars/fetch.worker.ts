// Fetches response bodies off the main thread: reading megabytes of scalar columns
// there would hold up drawing the charts.

import type { FetchReply, FetchRequest } from "./fetcher";

self.onmessage = async (event: MessageEvent<FetchRequest>) => {
  const { id, url } = event.data;
  let reply: FetchReply;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    reply = { id, body: await response.arrayBuffer() };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  (self as unknown as Worker).postMessage(reply, reply.body ? [reply.body] : []);
};
