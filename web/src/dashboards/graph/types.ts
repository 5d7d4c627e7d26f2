// The shapes of the server's graph routes (see docs/graph-json.md and docs/http-api.md).

export type NodeKind = "op" | "meta" | "series" | "chunk";
export type ColourMode = "structure" | "device" | "xla" | "compute_time" | "memory" | "node_data";
export const COLOUR_MODES: ColourMode[] = ["structure", "device", "xla", "compute_time", "memory", "node_data"];

export interface Annotation {
  kind: "constant" | "summary" | "shortcut" | "elided";
  node: string;
  label: string;
  control: boolean;
}

export interface NodeStats {
  op_count: number;
  devices: Record<string, number>;
  xla_clusters: Record<string, number>;
  compute_time_us?: number;
  node_data?: number | null;
  memory_bytes?: number;
}

export interface ViewNode {
  name: string;
  kind: NodeKind;
  label: string;
  op: string | null;
  parent: string;
  expanded: boolean;
  column: "main" | "in" | "out";
  x: number;
  y: number;
  width: number;
  height: number;
  template: number | null;
  colour: string;
  stats: NodeStats;
  annotations: { in: Annotation[]; out: Annotation[] };
  members?: number;
}

export interface ViewEdge {
  id: string;
  parent: string;
  source: string;
  target: string;
  bridge: boolean;
  count: number;
  data: number;
  control: number;
  reference: number;
  size: number;
  label: string;
  width: number;
  control_only: boolean;
  hidden: string | null;
  route: [number, number][];
}

export interface Legend {
  mode: ColourMode;
  items: { label: string; colour: string }[];
  scale: { low: string; high: string; max: number; unit: string } | null;
  note: string | null;
}

export interface GraphSource {
  run?: string;
  tag?: string;
  upload?: string;
  name?: string;
}

export interface GraphView {
  version: number;
  width: number;
  height: number;
  colour_by: ColourMode;
  nodes: ViewNode[];
  edges: ViewEdge[];
  legend: Legend;
  expanded: string[];
  ungrouped: string[];
  available: Record<string, boolean>;
  op_count: number;
  source: GraphSource;
}

export interface EdgeEnd {
  name: string;
  node: string | null;
  op: string | null;
  shape: string;
  control: boolean;
  count: number;
}

export interface NodeInfo {
  name: string;
  kind: NodeKind;
  label: string;
  op: string | null;
  device: string | null;
  attrs: { key: string; value: string }[];
  stats: NodeStats;
  choice: "include" | "exclude" | null;
  template: number | null;
  template_groups: number;
  series: { name: string; grouped: boolean } | null;
  constants: string[];
  summaries: string[];
  function: string | null;
  inputs: EdgeEnd[];
  outputs: EdgeEnd[];
  inputs_total: number;
  outputs_total: number;
  children?: number;
  members?: number;
}

export interface SearchHit {
  name: string;
  kind: NodeKind;
  op: string | null;
  expand: string[];
  target: string;
}

export interface SearchResult {
  query: string;
  total: number;
  hits: SearchHit[];
}

export interface TraceResult {
  name: string;
  ops: number;
  nodes: string[];
}

export interface GraphTag {
  tag: string;
  kind: "op" | "trace" | "conceptual" | "profile";
}

export interface GraphRuns {
  runs: { run: string; tags: GraphTag[] }[];
  /** The file suffixes the server reads in an upload. */
  upload_types: string[];
}

export interface UploadResult {
  id: string;
  name: string;
  ops: number;
}
