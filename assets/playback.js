/*
 * Playback frames computed in the browser from a pack the server sends once per filter
 * state (dashboard/draw/playback.py): each frame's step is the one
 * dashboard.draw.scene.build_step makes for the filters with the frame's period as their
 * time range (dashboard.query.filters.apply_filters, line for line). A browser test
 * checks both agree frame by frame. The figure is then assembled from the scene and
 * this step by assets/network.js, exactly as for a step from the server.
 */
(function () {
  "use strict";

  var UNDATED = -2147483648;
  var SIZE_LABELS = {claims: "number of claims", degree: "degree"};

  function net() { return window.dash_clientside.network; }

  function plural(count, noun) { return count + " " + (count === 1 ? noun : noun + "s"); }

  function thousands(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  // Python's html.escape (quote=True).
  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  // numpy.round: halves to even.
  function roundHalfEven(x) {
    var r = Math.round(x);
    return (Math.abs(x % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
  }

  function yearOf(day) { return new Date(day * 86400000).getUTCFullYear(); }

  function packBits(mask) {
    var out = new Array(Math.ceil(mask.length / 8)).fill(0);
    for (var i = 0; i < mask.length; i++) { if (mask[i]) { out[i >> 3] |= 1 << (7 - (i & 7)); } }
    return out;
  }

  // Decoded arrays and orderings of one pack, computed once.
  var prepared = new WeakMap();

  function prepare(pack) {
    if (prepared.has(pack)) { return prepared.get(pack); }
    var decode = net().decode;
    var p = {
      edge: decode(pack.claims.edge), start: decode(pack.claims.start),
      end: decode(pack.claims.end), denies: decode(pack.claims.denies),
      pairClaim: decode(pack.pairs.claim), pairSource: decode(pack.pairs.source),
      oppA: decode(pack.opposing.a), oppB: decode(pack.opposing.b)
    };
    var n = p.edge.length;
    p.soloActor = new Int32Array(n).fill(-1);
    var soloClaim = decode(pack.solo.claim), soloActor = decode(pack.solo.actor);
    for (var i = 0; i < soloClaim.length; i++) { p.soloActor[soloClaim[i]] = soloActor[i]; }
    // (edge, source) pairs in key order, so that distinct sources count in one pass.
    var keyed = [];
    for (var j = 0; j < p.pairClaim.length; j++) {
      var e = p.edge[p.pairClaim[j]];
      if (e >= 0) { keyed.push(j); }
    }
    var nSources = Math.max(pack.nSources, 1);
    keyed.sort(function (a, b) {
      return (p.edge[p.pairClaim[a]] * nSources + p.pairSource[a]) -
        (p.edge[p.pairClaim[b]] * nSources + p.pairSource[b]);
    });
    p.pairOrder = Int32Array.from(keyed);
    p.pairKey = new Float64Array(keyed.length);
    for (var k = 0; k < keyed.length; k++) {
      p.pairKey[k] = p.edge[p.pairClaim[keyed[k]]] * nSources + p.pairSource[keyed[k]];
    }
    prepared.set(pack, p);
    return p;
  }

  function edgeCounts(pack, p, passes) {
    var nEdges = pack.nEdges, nSources = Math.max(pack.nSources, 1);
    var claims = new Int32Array(nEdges), denials = new Int32Array(nEdges);
    var undated = new Int32Array(nEdges), sources = new Int32Array(nEdges);
    for (var i = 0; i < p.edge.length; i++) {
      var e = p.edge[i];
      if (!passes[i] || e < 0) { continue; }
      claims[e]++;
      if (p.denies[i]) { denials[e]++; }
      if (p.start[i] === UNDATED) { undated[e]++; }
    }
    var lastKey = -1;
    for (var k = 0; k < p.pairOrder.length; k++) {
      var j = p.pairOrder[k];
      if (!passes[p.pairClaim[j]] || p.pairKey[k] === lastKey) { continue; }
      lastKey = p.pairKey[k];
      sources[Math.floor(lastKey / nSources)]++;
    }
    return {claims: claims, sources: sources, denials: denials, undated: undated};
  }

  function neighbourhood(edgeMask, from, to, centre, depth, nActors) {
    var reached = new Uint8Array(nActors);
    reached[centre] = 1;
    for (var round = 0; round < Math.max(1, Math.min(depth, 3)); round++) {
      var frontier = [];
      for (var e = 0; e < edgeMask.length; e++) {
        if (!edgeMask[e]) { continue; }
        if (reached[from[e]]) { frontier.push(to[e]); }
        if (reached[to[e]]) { frontier.push(from[e]); }
      }
      var grew = false;
      frontier.forEach(function (a) { if (!reached[a]) { reached[a] = 1; grew = true; } });
      if (!grew) { break; }
    }
    return reached;
  }

  // The view of frame k: apply_filters with the frame's period as the time range.
  function frameView(pack, scene, k) {
    var p = prepare(pack), decode = net().decode;
    var from = decode(scene.edgeFrom), to = decode(scene.edgeTo);
    var nActors = decode(scene.x).length, nEdges = pack.nEdges, n = p.edge.length;
    var frame = pack.frames[k];
    var whole = frame[0] === pack.full[0] && frame[1] === pack.full[1];  // no range at all
    var passes = new Uint8Array(n);
    for (var i = 0; i < n; i++) {
      if (p.start[i] === UNDATED) { passes[i] = pack.includeUndated ? 1 : 0; }
      else { passes[i] = (whole || (p.start[i] <= frame[1] && p.end[i] >= frame[0])) ? 1 : 0; }
    }
    var counts = edgeCounts(pack, p, passes);
    var edgeMask = new Uint8Array(nEdges);
    for (var e = 0; e < nEdges; e++) {
      edgeMask[e] = (counts.claims[e] > 0 && counts.sources[e] >= pack.minSources) ? 1 : 0;
    }
    var keep = null;
    if (pack.focus >= 0) {
      keep = neighbourhood(edgeMask, from, to, pack.focus, pack.depth, nActors);
      for (e = 0; e < nEdges; e++) { if (!(keep[from[e]] && keep[to[e]])) { edgeMask[e] = 0; } }
    }
    if (keep || pack.minSources > 1) {
      for (i = 0; i < n; i++) {
        var ed = p.edge[i];
        if (ed >= 0 && !edgeMask[ed]) { passes[i] = 0; }
        if (keep && ed < 0 && !keep[p.soloActor[i]]) { passes[i] = 0; }
      }
      counts = edgeCounts(pack, p, passes);
    }
    var nodeMask = new Uint8Array(nActors), nodeClaims = new Float64Array(nActors);
    var first = new Float64Array(nEdges).fill(Infinity), last = new Float64Array(nEdges).fill(-Infinity);
    var nClaims = 0, undatedShown = 0;
    for (i = 0; i < n; i++) {
      if (!passes[i]) { continue; }
      nClaims++;
      if (p.start[i] === UNDATED) { undatedShown++; }
      var g = p.edge[i];
      if (g >= 0) {
        nodeMask[from[g]] = 1; nodeMask[to[g]] = 1;
        nodeClaims[from[g]]++; nodeClaims[to[g]]++;
        if (p.start[i] !== UNDATED) {
          first[g] = Math.min(first[g], p.start[i]); last[g] = Math.max(last[g], p.end[i]);
        }
      } else {
        nodeMask[p.soloActor[i]] = 1; nodeClaims[p.soloActor[i]]++;
      }
    }
    var opposed = new Uint8Array(nEdges);
    for (var j = 0; j < p.oppA.length; j++) {
      if (passes[p.oppA[j]] && passes[p.oppB[j]]) {
        opposed[p.edge[p.oppA[j]]] = 1; opposed[p.edge[p.oppB[j]]] = 1;
      }
    }
    var degree = new Float64Array(nActors), shownEdges = 0;
    for (e = 0; e < nEdges; e++) {
      if (!edgeMask[e]) { opposed[e] = 0; continue; }
      shownEdges++; degree[from[e]]++; degree[to[e]]++;
    }
    return {
      frame: frame, whole: whole, counts: counts, edgeMask: edgeMask, nodeMask: nodeMask,
      nodeClaims: nodeClaims, degree: degree, opposed: opposed, first: first, last: last,
      nClaims: nClaims, undatedShown: undatedShown, shownEdges: shownEdges
    };
  }

  function countsText(pack, v) {
    var actors = 0;
    for (var a = 0; a < v.nodeMask.length; a++) { actors += v.nodeMask[a]; }
    var text = plural(actors, "actor") + " · " + plural(v.shownEdges, "edge") + " · " +
      plural(v.nClaims, "claim") + " (of " + pack.nClaims + ")";
    if (v.whole) { return text; }
    text += ": " + (v.nClaims - v.undatedShown) + " in " + v.frame[2];
    // As the server writes it (View.counts_text): the undated beside those dated in the frame.
    return text + (v.undatedShown ? " + " + v.undatedShown + " undated" : "");
  }

  function stableOrder(indices, keyOf) {
    return indices.map(function (i, r) { return [keyOf(i), r, i]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (t) { return t[2]; });
  }

  function labelChoice(x, y, nodes, sizes, limit) {
    if (nodes.length <= limit) { return nodes.slice(); }
    var order = stableOrder(nodes, function (n) { return -sizes[n]; }).slice(0, limit * 10);
    var taken = [], chosen = [];
    for (var i = 0; i < order.length && chosen.length < limit; i++) {
      var node = order[i], px = x[node], py = y[node];
      var free = taken.every(function (t) {
        return Math.abs(px - t[0]) > 0.2 || Math.abs(py - t[1]) > 0.05;
      });
      if (free) { taken.push([px, py]); chosen.push(node); }
    }
    return chosen.sort(function (a, b) { return a - b; });
  }

  function sizeKey(metric, nodes, values, sizes) {
    var title = escapeHtml("Node size: " + SIZE_LABELS[metric]);
    var shownValues = nodes.map(function (n) { return values[n]; });
    var top = shownValues.length ? Math.max.apply(null, shownValues) : 0;
    if (!shownValues.length || top <= 0) { return {title: title, entries: [], note: null}; }
    var argmax = shownValues.indexOf(top);
    var argmin = shownValues.indexOf(Math.min.apply(null, shownValues));
    var sorted = stableOrder(shownValues.map(function (_, i) { return i; }),
      function (i) { return shownValues[i]; });
    var picks = Array.from(new Set([argmax, sorted[Math.floor(sorted.length / 2)], argmin]))
      .sort(function (a, b) { return shownValues[a] - shownValues[b]; })
      .filter(function (i, k, all) { return k === 0 || shownValues[i] !== shownValues[all[k - 1]]; });
    return {
      title: title,
      entries: picks.map(function (i) {
        var value = shownValues[i];
        var label = metric === "claims" ? plural(value, "claim") : plural(value, "edge");
        return {size: sizes[nodes[i]], label: escapeHtml(label)};
      }),
      note: null
    };
  }

  // As cluster_labels in draw/scene.py: largest community first, a name that would overlap
  // a larger community's left out (labels_overlap).
  function clusterLabels(scene, x, y, nodes) {
    var group = net().decode(scene.nodeCluster), out = [], s = scene.style;
    var width = scene.ranges.x[1] - scene.ranges.x[0], height = scene.ranges.y[1] - scene.ranges.y[0];
    function overlaps(a, b) {
      var halfWidth = (a.text.length + b.text.length) * s.groupLabelCharWidth * width / 2;
      return Math.abs(a.x - b.x) < halfWidth && Math.abs(a.y - b.y) < s.groupLabelHeight * height;
    }
    scene.clusters.slice(0, -1).forEach(function (name, code) {
      var sx = 0, sy = 0, count = 0, members = 0;
      nodes.forEach(function (n) {
        if (group[n] !== code) { return; }
        members++;
        if (!Number.isNaN(x[n])) { sx += x[n]; count++; }
        if (!Number.isNaN(y[n])) { sy += y[n]; }
      });
      if (members >= 3) {
        var label = {text: name, x: Number((sx / count).toFixed(4)), y: Number((sy / count).toFixed(4))};
        if (!out.some(function (kept) { return overlaps(label, kept); })) { out.push(label); }
      }
    });
    return out;
  }

  // The step of frame k (as build_step makes it), for the assembler in network.js.
  // ``camera`` (ranges and frame name) is the view's the playback started from: frames keep
  // it, so a focus's neighbourhood growing or shrinking does not move the map under the user.
  function frameStep(pack, scene, k, camera) {
    var v = frameView(pack, scene, k), limits = pack.limits, decode = net().decode;
    var x = decode(scene.x), y = decode(scene.y), nActors = x.length, nEdges = pack.nEdges;
    var c = v.counts, edges = [], nodes = [], notice = null;
    for (var e = 0; e < nEdges; e++) { if (v.edgeMask[e]) { edges.push(e); } }
    for (var a = 0; a < nActors; a++) { if (v.nodeMask[a]) { nodes.push(a); } }
    if (edges.length > limits.maxDrawnEdges) {
      var all = edges.length;
      edges = stableOrder(edges, function (i) { return -(c.claims[i] * 1000 + c.sources[i]); })
        .slice(0, limits.maxDrawnEdges).sort(function (p, q) { return p - q; });
      notice = escapeHtml("Drawing the " + thousands(limits.maxDrawnEdges) + " edges with the most " +
        "claims, of " + thousands(all) + ". Narrow the filters to see every edge.");
    }
    var metric = pack.sizeBy, values = metric === "degree" ? v.degree : v.nodeClaims;
    var top = 0;
    nodes.forEach(function (n) { top = Math.max(top, values[n]); });
    var bulkNodes = nodes.length > limits.detailNodeLimit;
    var smallest = bulkNodes ? 4 : 12, span = bulkNodes ? 16 : 32;
    var sizes = new Float64Array(nActors);
    for (a = 0; a < nActors; a++) { sizes[a] = smallest + span * (top > 0 ? Math.sqrt(values[a] / top) : 0); }
    var labels = labelChoice(x, y, nodes, sizes, limits.labelLimit);
    var byCluster = !!scene.nodeCluster && nodes.length > limits.clusterViewLimit;
    var focus = pack.focus >= 0 && v.nodeMask[pack.focus] ? pack.focus : -1;
    // As build_step: communities' central actors, or the few of a focus, named in full.
    var full = byCluster || (focus >= 0 && labels.length <= limits.fullLabelLimit);
    var texts = full ? pack.labels.full : pack.labels.short;
    var drawnMask = new Uint8Array(nEdges);
    edges.forEach(function (i) { drawnMask[i] = 1; });
    var klass = edges.map(function (i) {
      var denied = c.claims[i] > 0 && c.denials[i] === c.claims[i];
      var contested = (c.denials[i] > 0 || v.opposed[i]) && !denied;
      var faded = c.claims[i] > 0 && c.undated[i] === c.claims[i] && !v.whole;
      return Math.min(c.sources[i], limits.maxWidthClass) | (contested ? 8 : 0) |
        (denied ? 16 : 0) | (faded ? 32 : 0);
    });
    var step = {
      edges: packBits(drawnMask),
      edgeClass: klass,
      nodes: packBits(v.nodeMask),
      nodeSize: nodes.map(function (n) { return roundHalfEven(sizes[n]) & 255; }),
      labels: labels,
      labelTexts: labels.map(function (n) { return texts[n] || scene.names[n]; }),
      mode: edges.length <= limits.frameDetailEdgeLimit ? "detailed" : "bulk",
      notice: notice,
      counts: countsText(pack, v),
      sizeKey: sizeKey(metric, nodes, values, sizes),
      colourBy: byCluster ? "cluster" : "type",
      clusterLabels: byCluster ? clusterLabels(scene, x, y, nodes) : [],
      focus: focus,
      ranges: camera ? camera.ranges : null,
      frame: camera ? camera.frame : ""
    };
    if (step.mode === "detailed") {
      step.edgeClaims = edges.map(function (i) { return c.claims[i]; });
      step.edgeSources = edges.map(function (i) { return c.sources[i]; });
      step.edgeDenials = edges.map(function (i) { return c.denials[i]; });
      step.edgeUndated = edges.map(function (i) { return c.undated[i]; });
      step.edgeFirstYear = edges.map(function (i) { return v.first[i] === Infinity ? 0 : yearOf(v.first[i]); });
      step.edgeLastYear = edges.map(function (i) { return v.first[i] === Infinity ? 0 : yearOf(v.last[i]); });
    }
    if (nodes.length <= limits.detailNodeLimit) {
      step.nodeClaims = nodes.map(function (n) { return v.nodeClaims[n]; });
      step.nodeDegree = nodes.map(function (n) { return v.degree[n]; });
    }
    step.sceneKey = scene.key;
    step.playback = true;  // drawn with the edges gone since the last frame (withGone)
    return step;
  }

  // Edges the previous frame showed and this one does not, drawn faint and dotted for
  // one frame: they fade out rather than vanish. Only up to the detailed views' number
  // of edges: thousands of ghosts would cost the frame more than they tell.
  function goneTrace(scene, gone) {
    var decode = net().decode, xs = [], ys = [];
    if (gone && gone.length > scene.style.detailEdgeLimit) { gone = []; }
    var x = decode(scene.x), y = decode(scene.y), from = decode(scene.edgeFrom), to = decode(scene.edgeTo);
    var cx = decode(scene.controlX), cy = decode(scene.controlY), loop = decode(scene.loop);
    (gone || []).forEach(function (e) {
      if (loop[e] > 0) { return; }
      for (var i = 0; i <= 8; i++) {
        var t = i / 8, u = 1 - t;
        xs.push(u * u * x[from[e]] + 2 * u * t * cx[e] + t * t * x[to[e]]);
        ys.push(u * u * y[from[e]] + 2 * u * t * cy[e] + t * t * y[to[e]]);
      }
      xs.push(NaN); ys.push(NaN);
    });
    return {type: "scattergl", x: new Float64Array(xs), y: new Float64Array(ys), mode: "lines",
            line: {color: "#9ca3af", width: 1.5, dash: "dot"}, opacity: 0.6, hoverinfo: "skip",
            showlegend: true, name: "gone since the last frame", legendrank: 2999,
            legendgroup: "looks",
            meta: {role: "playback-gone"}};
  }

  function goneSince(previous, step, nEdges) {
    if (!previous) { return []; }
    var gone = [];
    var was = previous.edges, now = step.edges;
    for (var i = 0; i < nEdges; i++) {
      var bit = 1 << (7 - (i & 7));
      if ((was[i >> 3] & bit) && !(now[i >> 3] & bit)) { gone.push(i); }
    }
    return gone;
  }

  // A frame's figure: the map as assembled, and the edges gone since the last frame.
  function withGone(figure, step, scene) {
    if (!step.gone || !step.gone.length) { return figure; }
    return {data: figure.data.concat([goneTrace(scene, step.gone)]), layout: figure.layout};
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.playback = Object.assign(window.dash_clientside.playback || {},
    {frameStep: frameStep, prepare: prepare, withGone: withGone, goneSince: goneSince});
})();
