// Lays out graphs with dagre for bench/bench_layout_quality.py: reads a JSON list of
// {nodes: [[id, width, height]], edges: [[id, source, target]]} on stdin, writes a JSON list of
// {seconds, width, height, nodes: {id: [x, y]}, edges: {id: [[x, y], ...]}} to stdout.
// TensorBoard's settings: bottom to top, node separation 5, rank separation 25.
const path = require("path");
const dagre = require(require.resolve("dagre", { paths: [path.join(__dirname, "..", "web")] })); // a devDependency of web/

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map((graph) => {
    const started = process.hrtime.bigint();
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: "BT", nodesep: 5, ranksep: 25, edgesep: 5 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const [id, width, height] of graph.nodes) g.setNode(id, { width, height });
    for (const [id, source, target] of graph.edges) g.setEdge(source, target, {}, id);
    dagre.layout(g);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const nodes = {};
    for (const id of g.nodes()) nodes[id] = [g.node(id).x, g.node(id).y];
    const edges = {};
    for (const e of g.edges()) edges[e.name] = g.edge(e).points.map((p) => [p.x, p.y]);
    return { seconds, width: g.graph().width, height: g.graph().height, nodes, edges };
  });
  process.stdout.write(JSON.stringify(out));
});
