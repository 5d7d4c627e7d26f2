// Small typed helpers over the server's JSON routes (see docs/http-api.md).

export class ApiError extends Error {}

export async function getJson<T>(path: string, params: Record<string, string | string[]> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url);
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(message);
  }
  return (await response.json()) as T;
}

/** One entry of `/api/runs`. */
export interface RunInfo {
  name: string;
  first_wall_time: number | null;
  version: number;
  tags: Record<string, string[]>;
}

export interface RunsResponse {
  generation: number;
  loading: boolean;
  /** Why the logdir cannot be listed right now, or null. */
  error: string | null;
  logdir: string;
  /** Plugins with data outside the runs' tags (the projector's configs). */
  logdir_plugins: string[];
  /** Why a logdir gives no data: it cannot be listed, or holds no event files. */
  problems: string[];
  runs: RunInfo[];
}
