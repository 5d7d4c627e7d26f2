// Calls to the server's /api/graph routes. View state travels as a JSON body (POST),
// since many expanded names would not fit in a URL.

import { ApiError, getJson } from "../../api";
import type { GraphState } from "./urlstate";
import { sourceOf } from "./urlstate";
import type { GraphRuns, GraphView, NodeInfo, SearchResult, TraceResult, UploadResult } from "./types";

export function requestBody(state: GraphState, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...sourceOf(state),
    expanded: [...state.expanded],
    ungrouped: [...state.ungrouped],
    include: [...state.include],
    exclude: [...state.exclude],
    colour: state.colour,
    ...extra,
  };
}

async function post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (await response.json()).error ?? message;
    } catch {
      /* not JSON */
    }
    throw new GraphApiError(message, response.status);
  }
  return response;
}

export class GraphApiError extends ApiError {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export const graphRuns = () => getJson<GraphRuns>("/api/graph/runs");

export async function fetchView(state: GraphState, depth?: number): Promise<GraphView> {
  const extra = depth === undefined ? {} : { depth };
  return (await post("/api/graph/view", requestBody(state, extra))).json();
}

export async function fetchNode(state: GraphState, name: string): Promise<NodeInfo> {
  return (await post("/api/graph/node", requestBody(state, { name }))).json();
}

export async function fetchTrace(state: GraphState, name: string): Promise<TraceResult> {
  return (await post("/api/graph/trace", requestBody(state, { name }))).json();
}

export async function search(state: GraphState, q: string, signal?: AbortSignal): Promise<SearchResult> {
  return (await post("/api/graph/search", requestBody(state, { q }), signal)).json();
}

export async function fetchSvg(state: GraphState): Promise<Blob> {
  return (await post("/api/graph/svg", requestBody(state))).blob();
}

/** Sends a node data JSON for the current graph; answers how many of its keys matched. */
export async function uploadNodeData(state: GraphState, file: File): Promise<{ matched: number; name: string }> {
  const query = new URLSearchParams(sourceOf(state) as Record<string, string>).toString();
  const response = await fetch(`/api/graph/node_data?${query}`, { method: "POST", body: file });
  const body = await response.json();
  if (!response.ok) throw new GraphApiError(body.error ?? response.statusText, response.status);
  return body;
}

export async function upload(file: File): Promise<UploadResult> {
  const response = await fetch(`/api/graph/upload?name=${encodeURIComponent(file.name)}`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: file,
  });
  const body = await response.json();
  if (!response.ok) throw new GraphApiError(body.error ?? response.statusText, response.status);
  return body as UploadResult;
}
