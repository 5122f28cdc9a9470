// The benchmark's anchor: the graph the dashboard shows, drawn by sigma.js (WebGL) from
// graphology, on a static page. Filters run here, in the browser, by hiding nodes and
// edges through their attributes: nothing is sent after the first load.
//
// bench/browser.py writes graph-<claims>.json (names, sources, years, array layout) and
// graph-<claims>.bin (the arrays), opens index.html?data=graph-<claims>, and drives
// window.bench. "Drawn" means sigma's afterRender, then two animation frames.
import { MultiDirectedGraph } from "graphology";
import Sigma from "sigma";

const UNDATED = -2147483648;
const DAY_MS = 86400000;

function nextFrames(count) {
  return new Promise((resolve) => {
    const step = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(count);
  });
}

function arrays(meta, buffer) {
  const views = { f32: Float32Array, i32: Int32Array };
  const out = {};
  for (const [name, { type, offset, length }] of Object.entries(meta.arrays)) {
    out[name] = new views[type](buffer, offset, length);
  }
  return out;
}

function buildGraph(meta, a, shown) {
  const graph = new MultiDirectedGraph();
  const degree = new Int32Array(meta.actors);
  for (let e = 0; e < meta.edges; e++) {
    degree[a.edge_from[e]]++;
    degree[a.edge_to[e]]++;
  }
  for (let n = 0; n < meta.actors; n++) {
    graph.addNode(String(n), {
      x: a.x[n],
      y: a.y[n],
      size: 1.5 + Math.sqrt(degree[n]),
      label: meta.names[n],
      color: "#4c78a8",
      hidden: !shown.nodeOn[n],
    });
  }
  for (let e = 0; e < meta.edges; e++) {
    graph.addEdgeWithKey(String(e), String(a.edge_from[e]), String(a.edge_to[e]), {
      size: 0.5,
      color: "#bbb",
      hidden: !shown.edgeOn[e],
    });
  }
  return graph;
}

// The dashboard's claim filter: a claim passes if its source is chosen (none chosen: all)
// and its time span overlaps the range (undated claims shown); an edge shows while one
// of its claims passes, an actor while one of its claims passes.
function visible(meta, a, filter) {
  const edgeOn = new Uint8Array(meta.edges);
  const nodeOn = new Uint8Array(meta.actors);
  const source = filter.source === undefined ? -1 : meta.sources.indexOf(filter.source);
  const first = filter.years ? Date.UTC(filter.years[0], 0, 1) / DAY_MS : null;
  const last = filter.years ? Date.UTC(filter.years[1], 11, 31) / DAY_MS : null;
  let claims = 0;
  for (let c = 0; c < meta.claims; c++) {
    if (source >= 0 && a.claim_source[c] !== source) continue;
    const start = a.claim_start[c];
    if (first !== null && start !== UNDATED && (start > last || a.claim_end[c] < first)) continue;
    claims++;
    nodeOn[a.claim_from[c]] = 1;
    if (a.claim_to[c] >= 0) nodeOn[a.claim_to[c]] = 1;
    if (a.claim_edge[c] >= 0) edgeOn[a.claim_edge[c]] = 1;
  }
  return { edgeOn, nodeOn, claims };
}

async function main() {
  const name = new URLSearchParams(location.search).get("data");
  const [meta, buffer] = await Promise.all([
    fetch(`${name}.json`).then((r) => r.json()),
    fetch(`${name}.bin`).then((r) => r.arrayBuffer()),
  ]);
  const a = arrays(meta, buffer);
  const everything = visible(meta, a, {}); // like the dashboard, actors without claims hidden
  const graph = buildGraph(meta, a, everything);
  const container = document.getElementById("network");
  // The constructor renders at once (sigma 3 refreshes synchronously).
  const renderer = new Sigma(graph, container, {
    hideEdgesOnMove: false,
    labelRenderedSizeThreshold: 12,
    enableEdgeEvents: false,
  });
  await nextFrames(2);
  const counts = document.getElementById("counts");
  const total = (flags) => flags.reduce((s, v) => s + v, 0);
  const show = (shown) => {
    counts.textContent = `${shown.nodes} actors · ${shown.edges} edges · ${shown.claims} claims`;
  };
  show({ nodes: total(everything.nodeOn), edges: total(everything.edgeOn), claims: everything.claims });

  // One filter step: hide what does not pass, wait until sigma has drawn it, return the
  // time taken (ms) and what is shown.
  async function step(filter) {
    const started = performance.now();
    const { edgeOn, nodeOn, claims } = visible(meta, a, filter);
    const drawn = new Promise((resolve) => renderer.once("afterRender", resolve));
    graph.updateEachNodeAttributes(
      (node, attr) => {
        attr.hidden = !nodeOn[+node];
        return attr;
      },
      { attributes: ["hidden"] },
    );
    graph.updateEachEdgeAttributes(
      (edge, attr) => {
        attr.hidden = !edgeOn[+edge];
        return attr;
      },
      { attributes: ["hidden"] },
    );
    await drawn;
    await nextFrames(2);
    const shown = { nodes: total(nodeOn), edges: total(edgeOn), claims };
    show(shown);
    return { ms: performance.now() - started, ...shown };
  }

  window.bench = { drawnAt: performance.now(), meta, step };
}

main().catch((error) => {
  window.benchError = String(error && error.stack ? error.stack : error);
});
