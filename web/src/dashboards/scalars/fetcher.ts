// The main thread's side of the fetch worker (fetch.worker.ts).

import type { Column, ScalarSeries, WallTimes } from "./columns";

export interface ColumnsRequest {
  id: number;
  url: string;
  tag: string;
  smoothing: number;
  wallTimesOnly: boolean;
}

export interface ColumnsReply {
  id: number;
  series?: ScalarSeries[];
  walls?: Map<string, WallTimes>;
  error?: string;
}

export class ColumnsFetcher {
  private readonly worker = new Worker(new URL("./fetch.worker.ts", import.meta.url), { type: "module" });
  private readonly pending = new Map<number, { resolve: (reply: ColumnsReply) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor() {
    this.worker.onmessage = ({ data }: MessageEvent<ColumnsReply>) => {
      const waiting = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.error === undefined) waiting?.resolve(data);
      else waiting?.reject(new Error(data.error));
    };
  }

  /** The series of `tag` in `runs` (those that have it), smoothed with `smoothing`;
   * with their wall times if `withWallTimes`. */
  async series(tag: string, runs: string[], smoothing: number, withWallTimes: boolean): Promise<ScalarSeries[]> {
    const reply = await this.request(tag, runs, withWallTimes ? ["wall_time", "value"] : ["value"], smoothing);
    return reply.series!;
  }

  /** The wall times of `tag` in `runs`, by run. */
  async wallTimes(tag: string, runs: string[]): Promise<Map<string, WallTimes>> {
    return (await this.request(tag, runs, ["wall_time"], 0)).walls!;
  }

  private request(tag: string, runs: string[], columns: Column[], smoothing: number): Promise<ColumnsReply> {
    const query = new URLSearchParams({ tag, columns: columns.join(",") });
    for (const run of runs) query.append("run", run);
    const url = new URL(`/api/scalars/columns?${query}`, location.href).href;
    const request: ColumnsRequest = { id: this.nextId++, url, tag, smoothing, wallTimesOnly: !columns.includes("value") };
    this.worker.postMessage(request);
    return new Promise((resolve, reject) => this.pending.set(request.id, { resolve, reject }));
  }
}
