// Binary bodies fetched by a worker (see fetch.worker.ts) and handed over without a copy.

export interface FetchRequest {
  id: number;
  url: string;
}

export interface FetchReply {
  id: number;
  body?: ArrayBuffer;
  error?: string;
}

export class WorkerFetcher {
  private readonly worker = new Worker(new URL("./fetch.worker.ts", import.meta.url), { type: "module" });
  private readonly pending = new Map<number, { resolve: (body: ArrayBuffer) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor() {
    this.worker.onmessage = ({ data }: MessageEvent<FetchReply>) => {
      const waiting = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.body) waiting?.resolve(data.body);
      else waiting?.reject(new Error(data.error ?? "fetch failed"));
    };
  }

  /** The body of `url` (a path of this origin), or an error for a failed response. */
  arrayBuffer(url: string): Promise<ArrayBuffer> {
    const id = this.nextId++;
    const request: FetchRequest = { id, url: new URL(url, location.href).href };
    this.worker.postMessage(request);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }
}
