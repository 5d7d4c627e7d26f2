// The main thread's side of the fetch worker (fetch.worker.ts). What is asked for in
// the same task goes out as one streamed request per kind (same runs, columns and
// smoothing): far fewer requests for the browser and the server to handle, and no
// waiting for one of six connections.

import type { Body, Column, ScalarSeries, WallTimes } from "./columns";

export interface ColumnsRequest {
  id: number;
  url: string;
  tags: string[];
  smoothing: number;
}

/** A tag's body, or why it failed. */
export interface ColumnsReply {
  id: number;
  body?: Body;
  failed?: { tag: string; message: string };
}

interface Wanted {
  tag: string;
  runs: string[];
  columns: Column[];
  smoothing: number;
  resolve: (body: Body) => void;
  reject: (error: Error) => void;
}

const TAGS_PER_REQUEST = 32; // keeps URLs short

export class ColumnsFetcher {
  private readonly worker = new Worker(new URL("./fetch.worker.ts", import.meta.url), { type: "module" });
  /** By request id, then tag. */
  private readonly pending = new Map<number, Map<string, Wanted[]>>();
  private queued: Wanted[] = [];
  private nextId = 0;

  constructor() {
    this.worker.onmessage = ({ data }: MessageEvent<ColumnsReply>) => {
      const waiting = this.pending.get(data.id);
      const tag = data.body?.tag ?? data.failed?.tag ?? "";
      for (const wanted of waiting?.get(tag) ?? []) {
        if (data.body) wanted.resolve(data.body);
        else wanted.reject(new Error(data.failed?.message));
      }
      waiting?.delete(tag);
      if (waiting?.size === 0) this.pending.delete(data.id);
    };
  }

  /** The series of `tag` in `runs` (those that have it), smoothed with `smoothing`;
   * with their wall times if `withWallTimes`. */
  async series(tag: string, runs: string[], smoothing: number, withWallTimes: boolean): Promise<ScalarSeries[]> {
    return (await this.fetch(tag, runs, withWallTimes ? ["wall_time", "value"] : ["value"], smoothing)).series;
  }

  /** The wall times of `tag` in `runs`, by run. */
  async wallTimes(tag: string, runs: string[]): Promise<Map<string, WallTimes>> {
    return (await this.fetch(tag, runs, ["wall_time"], 0)).wallTimes!;
  }

  private fetch(tag: string, runs: string[], columns: Column[], smoothing: number): Promise<Body> {
    if (!this.queued.length) queueMicrotask(() => this.send());
    return new Promise((resolve, reject) => this.queued.push({ tag, runs, columns, smoothing, resolve, reject }));
  }

  private send(): void {
    const kinds = new Map<string, Wanted[]>();
    for (const wanted of this.queued) {
      const kind = JSON.stringify([wanted.runs, wanted.columns, wanted.smoothing]);
      kinds.set(kind, [...(kinds.get(kind) ?? []), wanted]);
    }
    this.queued = [];
    for (const all of kinds.values()) {
      const byTag = new Map<string, Wanted[]>();
      for (const wanted of all) byTag.set(wanted.tag, [...(byTag.get(wanted.tag) ?? []), wanted]);
      const tags = [...byTag.entries()];
      for (let start = 0; start < tags.length; start += TAGS_PER_REQUEST) this.request(new Map(tags.slice(start, start + TAGS_PER_REQUEST)));
    }
  }

  private request(byTag: Map<string, Wanted[]>): void {
    const { runs, columns, smoothing } = [...byTag.values()][0][0];
    const query = new URLSearchParams({ columns: columns.join(",") });
    for (const tag of byTag.keys()) query.append("tag", tag);
    for (const run of runs) query.append("run", run);
    const request: ColumnsRequest = {
      id: this.nextId++,
      url: new URL(`/api/scalars/columns/stream?${query}`, location.href).href,
      tags: [...byTag.keys()],
      smoothing,
    };
    this.pending.set(request.id, byTag);
    this.worker.postMessage(request);
  }
}
