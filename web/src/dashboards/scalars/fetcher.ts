// The main thread's side of the fetch worker (fetch.worker.ts).

import type { ScalarSeries } from "./columns";

export interface ColumnsRequest {
  id: number;
  url: string;
  tag: string;
  smoothing: number;
}

export interface ColumnsReply {
  id: number;
  series?: ScalarSeries[];
  error?: string;
}

export class ColumnsFetcher {
  private readonly worker = new Worker(new URL("./fetch.worker.ts", import.meta.url), { type: "module" });
  private readonly pending = new Map<number, { resolve: (series: ScalarSeries[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor() {
    this.worker.onmessage = ({ data }: MessageEvent<ColumnsReply>) => {
      const waiting = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.series) waiting?.resolve(data.series);
      else waiting?.reject(new Error(data.error ?? "fetch failed"));
    };
  }

  /** The series of `tag` in `runs` (those that have it), smoothed with `smoothing`. */
  fetch(tag: string, runs: string[], smoothing: number): Promise<ScalarSeries[]> {
    const query = new URLSearchParams({ tag });
    for (const run of runs) query.append("run", run);
    const request: ColumnsRequest = { id: this.nextId++, url: new URL(`/api/scalars/columns?${query}`, location.href).href, tag, smoothing };
    this.worker.postMessage(request);
    return new Promise((resolve, reject) => this.pending.set(request.id, { resolve, reject }));
  }
}
