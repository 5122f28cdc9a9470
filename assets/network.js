/*
 * The network figure, assembled in the browser from a scene (sent once: positions,
 * edge ends and curves, names, families, the style table) and a step (sent per filter
 * change: which edges and actors show, each edge's class, node sizes, labels).
 *
 * This mirrors dashboard/draw/assemble.py line for line; a browser test checks that
 * both draw the same traces. Every number of the look comes from scene.style.
 * Text in the scene and step is already HTML-escaped by the server.
 */
(function () {
  "use strict";

  var DTYPES = {
    f4: Float32Array, f8: Float64Array, i4: Int32Array, u4: Uint32Array,
    i2: Int16Array, u2: Uint16Array, u1: Uint8Array, i1: Int8Array
  };
  var decoded = new WeakMap();

  function decode(spec) {
    if (spec === null || spec === undefined) { return spec; }
    if (Array.isArray(spec) || ArrayBuffer.isView(spec)) { return spec; }
    if (decoded.has(spec)) { return decoded.get(spec); }
    var text = atob(spec.bdata);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    var array = new DTYPES[spec.dtype](bytes.buffer);
    decoded.set(spec, array);
    return array;
  }

  function setBits(bytes, length) {
    var out = [];
    for (var i = 0; i < length; i++) {
      if ((bytes[i >> 3] >> (7 - (i & 7))) & 1) { out.push(i); }
    }
    return out;
  }

  function Drawing(scene, step) {
    var s = scene.style;
    this.scene = scene;
    this.step = step;
    this.x = decode(scene.x);
    this.y = decode(scene.y);
    var from = decode(scene.edgeFrom), to = decode(scene.edgeTo);
    var cx = decode(scene.controlX), cy = decode(scene.controlY), loop = decode(scene.loop);
    var rel = decode(scene.edgeRelation), family = decode(scene.relationFamily);
    var undirected = decode(scene.undirected);
    var klass = decode(step.edgeClass);
    this.edges = setBits(decode(step.edges), from.length);
    this.nodes = setBits(decode(step.nodes), this.x.length);
    this.detailed = step.mode === "detailed";
    var n = this.edges.length;
    this.p0x = new Float64Array(n); this.p0y = new Float64Array(n);
    this.p2x = new Float64Array(n); this.p2y = new Float64Array(n);
    this.cx = new Float64Array(n); this.cy = new Float64Array(n);
    this.loop = new Float64Array(n);
    this.relation = new Int32Array(n); this.family = new Int32Array(n);
    this.directed = new Uint8Array(n); this.widthClass = new Int32Array(n);
    this.denied = new Uint8Array(n); this.contested = new Uint8Array(n);
    this.faded = new Uint8Array(n);
    for (var i = 0; i < n; i++) {
      var e = this.edges[i];
      this.p0x[i] = this.x[from[e]]; this.p0y[i] = this.y[from[e]];
      this.p2x[i] = this.x[to[e]]; this.p2y[i] = this.y[to[e]];
      this.cx[i] = cx[e]; this.cy[i] = cy[e]; this.loop[i] = loop[e];
      this.relation[i] = rel[e]; this.family[i] = family[rel[e]];
      this.directed[i] = undirected[e] ? 0 : 1;
      var k = klass[i];
      this.widthClass[i] = k & s.widthMask;
      this.denied[i] = (k & s.bits.denied) ? 1 : 0;
      this.contested[i] = (k & s.bits.contested) ? 1 : 0;
      this.faded[i] = (k & s.bits.faded) ? 1 : 0;
    }
  }

  // A point on edge row i at fraction t, and the tangent there: [x, y, dx, dy].
  Drawing.prototype.point = function (i, t) {
    if (this.loop[i] > 0) {
      var r = this.loop[i], a = 2 * Math.PI * t;
      return [this.p0x[i] + r * Math.sin(a), this.p0y[i] + r * (1 - Math.cos(a)),
              Math.cos(a), Math.sin(a)];
    }
    var u = 1 - t;
    return [
      u * u * this.p0x[i] + 2 * u * t * this.cx[i] + t * t * this.p2x[i],
      u * u * this.p0y[i] + 2 * u * t * this.cy[i] + t * t * this.p2y[i],
      2 * u * (this.cx[i] - this.p0x[i]) + 2 * t * (this.p2x[i] - this.cx[i]),
      2 * u * (this.cy[i] - this.p0y[i]) + 2 * t * (this.p2y[i] - this.cy[i])
    ];
  };

  function linspace(n) {
    var out = [];
    for (var i = 0; i < n; i++) { out.push(n === 1 ? 0 : i / (n - 1)); }
    return out;
  }

  function tagged(trace, role) { trace.meta = {role: role}; return trace; }

  function plural(count, noun, pluralForm) {
    return count + " " + (count === 1 ? noun : (pluralForm || noun + "s"));
  }

  function swatch(name, rank, group, title, look) {
    var trace = {
      type: "scatter", x: [null], y: [null], name: name, legendgroup: group,
      legendgrouptitle: title ? {text: title} : {}, legendrank: rank, hoverinfo: "skip"
    };
    for (var key in look) { trace[key] = look[key]; }
    return tagged(trace, "legend");
  }

  function shortName(name, limit) {
    return name.length <= limit ? name : name.slice(0, limit - 1) + "…";
  }

  function legendTraces(scene, step) {
    var s = scene.style, traces = [];
    scene.families.forEach(function (f, i) {
      traces.push(swatch(f.name, 1000 + i, "families", i === 0 ? "Relations" : null,
        {mode: "lines", line: {color: f.colour, width: 3}}));
    });
    var looks = [
      ["contested (dashed)", {color: "#555", width: 2, dash: "dash"}],
      ["denied only (dotted)", {color: s.deniedColour, width: 2, dash: "dot"}],
      ["undated only (faded)", {color: "rgba(85,85,85,0.35)", width: 2}]
    ];
    looks.forEach(function (look, i) {
      traces.push(swatch(look[0], 2000 + i, "looks", i === 0 ? "Claims" : null,
        {mode: "lines", line: look[1]}));
    });
    var key = step.sizeKey;
    key.entries.forEach(function (entry, i) {
      traces.push(swatch(entry.label, 4000 + i, "size", i === 0 ? key.title : null,
        {mode: "markers", marker: {size: Math.min(entry.size, 16) * 0.8 + 3, color: "#9ca3af"}}));
    });
    var colouring = nodeColouring(scene, step);
    colouring.names.forEach(function (name, i) {
      traces.push(swatch(shortName(name, 24), 3000 + i, "nodes", i === 0 ? colouring.title : null,
        {mode: "markers", marker: {size: 11, color: colouring.colours[i]}}));
    });
    return traces;
  }

  // What colours the actors: their type, or in large views their community.
  function nodeColouring(scene, step) {
    if (step.colourBy === "cluster") {
      return {of: decode(scene.nodeCluster), names: scene.clusters, colours: scene.clusterColours,
              title: "Groups (communities)"};
    }
    return {of: decode(scene.nodeType), names: scene.types, colours: scene.typeColours,
            title: "Actor types"};
  }

  // Group row indices by an integer key, in increasing key order (as numpy.unique).
  function groupBy(rows, keyOf) {
    var groups = new Map();
    rows.forEach(function (i) {
      var k = keyOf(i);
      if (!groups.has(k)) { groups.set(k, []); }
      groups.get(k).push(i);
    });
    return Array.from(groups.keys()).sort(function (a, b) { return a - b; })
      .map(function (k) { return groups.get(k); });
  }

  function allRows(n) { var out = []; for (var i = 0; i < n; i++) { out.push(i); } return out; }

  function lineTraces(d) {
    var s = d.scene.style;
    var ts = d.detailed ? linspace(s.curveSamples) : [0, 0.5, 1];
    var widths = d.detailed ? s.detailedWidths : s.bulkWidths;
    var lookNames = ["asserted", "contested", "denied"];
    function look(i) { return d.denied[i] ? 2 : (d.contested[i] ? 1 : 0); }
    var groups = groupBy(allRows(d.edges.length), function (i) {
      return ((d.family[i] * 8 + d.widthClass[i]) * 3 + look(i)) * 2 + d.faded[i];
    });
    return groups.map(function (rows) {
      var first = rows[0], kind = lookNames[look(first)];
      var xs = new Float64Array(rows.length * (ts.length + 1));
      var ys = new Float64Array(rows.length * (ts.length + 1));
      var k = 0;
      rows.forEach(function (i) {
        ts.forEach(function (t) { var p = d.point(i, t); xs[k] = p[0]; ys[k] = p[1]; k++; });
        xs[k] = NaN; ys[k] = NaN; k++;
      });
      var family = d.scene.families[d.family[first]];
      return tagged({
        type: d.detailed ? "scatter" : "scattergl", x: xs, y: ys, mode: "lines",
        line: {color: kind === "denied" ? s.deniedColour : family.colour,
               width: widths[d.widthClass[first]], dash: s.dashes[kind]},
        opacity: (d.detailed ? 1.0 : 0.6) * (d.faded[first] ? s.fadedOpacity : 1.0),
        hoverinfo: "skip", showlegend: false, name: family.name
      }, "edge-lines");
    });
  }

  function labelTraces(d) {
    if (d.edges.length > d.scene.style.edgeLabelLimit) { return []; }
    var xs = [], ys = [], text = [];
    for (var i = 0; i < d.edges.length; i++) {
      var p = d.point(i, 0.5);
      xs.push(p[0]); ys.push(p[1]); text.push(d.scene.relations[d.relation[i]]);
    }
    return [tagged({
      type: "scatter", x: new Float64Array(xs), y: new Float64Array(ys), mode: "text",
      text: text, textfont: {size: 9, color: "#4b5563"}, hoverinfo: "skip",
      showlegend: false, name: "relations"
    }, "edge-labels")];
  }

  function arrowAngle(dx, dy, step) {
    var angle = Math.atan2(dx, dy) * 180 / Math.PI;
    var rounded = Math.round(angle / step) * step;
    return ((rounded % 360) + 360) % 360;
  }

  function arrowTraces(d) {
    var s = d.scene.style;
    // A playback frame in bulk has none: software WebGL painted them in 15-20 ms of a
    // 0.2 s frame, and in motion a carpet of arrowheads tells less than the paused view.
    if (!d.detailed && (d.step.playback || d.edges.length > s.bulkArrowLimit)) { return []; }
    var rows = allRows(d.edges.length).filter(function (i) { return d.directed[i] && !d.denied[i]; });
    var groups = groupBy(rows, function (i) { return d.family[i] * 2 + d.faded[i]; });
    return groups.map(function (group) {
      var xs = new Float64Array(group.length), ys = new Float64Array(group.length);
      var angles = new Float64Array(group.length), sizes = new Float64Array(group.length);
      group.forEach(function (i, k) {
        var p = d.point(i, s.arrowAt);
        xs[k] = p[0]; ys[k] = p[1];
        angles[k] = arrowAngle(p[2], p[3], s.arrowAngleStep);
        sizes[k] = s.arrowSizes[d.widthClass[i]];
      });
      var first = group[0];
      return tagged({
        type: d.detailed ? "scatter" : "scattergl", x: xs, y: ys, mode: "markers",
        marker: {symbol: "triangle-up", size: d.detailed ? sizes : s.bulkArrowSize,
                 angle: angles, color: d.scene.families[d.family[first]].colour,
                 line: {width: 0}, opacity: d.faded[first] ? s.fadedOpacity : 1.0},
        hoverinfo: "skip", showlegend: false, name: "direction"
      }, "edge-arrows");
    });
  }

  function edgeHoverTexts(d) {
    var scene = d.scene, step = d.step;
    var from = decode(scene.edgeFrom), to = decode(scene.edgeTo);
    var labels = d.edges.map(function (e, i) {
      return "<b>" + scene.names[from[e]] + "</b> " + scene.relations[d.relation[i]] +
        " <b>" + scene.names[to[e]] + "</b>";
    });
    if (!d.detailed) { return labels; }
    var claims = decode(step.edgeClaims), sources = decode(step.edgeSources);
    var denials = decode(step.edgeDenials), undated = decode(step.edgeUndated);
    var first = decode(step.edgeFirstYear), last = decode(step.edgeLastYear);
    return labels.map(function (label, i) {
      var when = !first[i] ? "undated" : (first[i] === last[i] ? String(first[i]) : first[i] + "–" + last[i]);
      if (first[i] && undated[i]) { when += " (+" + undated[i] + " undated)"; }
      var note = "";
      if (d.denied[i]) {
        note = "<br>⊘ Denied: every claim shown here denies it";
      } else if (d.contested[i]) {
        note = denials[i] ? "<br>⚠ Contested: " + plural(denials[i], "denial")
          : "<br>⚠ Contested: another source claims an opposing relation";
      }
      return label + "<br>" + plural(claims[i], "claim") + " · " + plural(sources[i], "source") +
        "<br>" + when + note + "<br><i>click for the evidence</i>";
    });
  }

  function hitTrace(d) {
    var s = d.scene.style, texts = edgeHoverTexts(d);
    var xs = [], ys = [], custom = [], hover = [];
    for (var i = 0; i < d.edges.length; i++) {
      if (d.detailed) {
        var chord = Math.hypot(d.p2x[i] - d.p0x[i], d.p2y[i] - d.p0y[i]);
        var bend = Math.hypot(d.cx[i] - (d.p0x[i] + d.p2x[i]) / 2, d.cy[i] - (d.p0y[i] + d.p2y[i]) / 2);
        var length = d.loop[i] > 0 ? 2 * Math.PI * d.loop[i] : chord + bend;
        var margin = d.loop[i] > 0 ? 0.1 : Math.min(s.nodeClearance / Math.max(chord, 1e-9), 0.4);
        var span = 1 - 2 * margin;
        var count = Math.min(Math.max(Math.ceil(length * span / s.hitSpacing) + 1, 3), 60);
        for (var r = 0; r < count; r++) {
          var p = d.point(i, margin + span * r / (count - 1));
          xs.push(p[0]); ys.push(p[1]); custom.push(d.edges[i]); hover.push(texts[i]);
        }
      } else {
        var q = d.point(i, 0.5);
        xs.push(q[0]); ys.push(q[1]); custom.push(d.edges[i]); hover.push(texts[i]);
      }
    }
    return tagged({
      type: xs.length > s.glHitLimit ? "scattergl" : "scatter", x: new Float64Array(xs),
      y: new Float64Array(ys), mode: "markers", marker: {size: d.detailed ? 16 : 10, opacity: 0, color: "#000"},
      customdata: custom, hovertext: hover, hoverinfo: "text", hoverlabel: {bgcolor: "white"},
      showlegend: false, name: "edges"
    }, "edge-hits");
  }

  function nodeTraces(d) {
    var scene = d.scene, step = d.step, s = scene.style;
    var bulk = d.nodes.length > s.detailNodeLimit, webgl = d.nodes.length > s.glActorLimit;
    var nodeType = decode(scene.nodeType), sizes = decode(step.nodeSize);
    var colouring = nodeColouring(scene, step), byCluster = step.colourBy === "cluster";
    var labelCodes = decode(step.labels), labelled = new Map();
    for (var l = 0; l < labelCodes.length; l++) { labelled.set(labelCodes[l], step.labelTexts[l]); }
    var claims = bulk ? null : decode(step.nodeClaims), degree = bulk ? null : decode(step.nodeDegree);
    var rowsByGroup = groupBy(allRows(d.nodes.length), function (r) { return colouring.of[d.nodes[r]]; });
    var traces = rowsByGroup.map(function (rows) {
      var code = colouring.of[d.nodes[rows[0]]];
      var xs = new Float64Array(rows.length), ys = new Float64Array(rows.length);
      var size = new Float64Array(rows.length), text = [], custom = [], hover = [];
      rows.forEach(function (r, k) {
        var n = d.nodes[r];
        xs[k] = d.x[n]; ys[k] = d.y[n]; size[k] = sizes[r];
        text.push(labelled.has(n) ? labelled.get(n) : "");
        custom.push(n);
        if (bulk) {
          hover.push(scene.names[n]);
        } else {
          var aliases = scene.aliases && scene.aliases[n] ? "<br>also: " + scene.aliases[n] : "";
          var group = byCluster ? "<br>group: " + colouring.names[code] : "";
          hover.push("<b>" + scene.names[n] + "</b><br>" + scene.types[nodeType[n]] + group + aliases + "<br>" +
            plural(claims[r], "claim") + " · " + plural(degree[r], "edge") +
            "<br><i>click for the actor card</i>");
        }
      });
      return tagged(Object.assign({
        type: webgl ? "scattergl" : "scatter", x: xs, y: ys, mode: webgl ? "markers" : "markers+text",
        marker: {size: size, color: colouring.colours[code], line: {width: bulk ? 0 : 1.5, color: "#fff"}}
      }, webgl ? {} : actorTexts(text), {
        customdata: custom, hovertext: hover, hoverinfo: "text", name: colouring.names[code],
        showlegend: false
      }), "actors");
    });
    return webgl ? traces.concat([actorLabelTrace(d, labelled)]) : traces;
  }

  function actorTexts(texts) {
    return {text: texts, textposition: "bottom center", textfont: {size: 11, color: "#1f2933"}};
  }

  // The labelled actors' names, under their WebGL markers.
  function actorLabelTrace(d, labelled) {
    var xs = [], ys = [], texts = [];
    labelled.forEach(function (text, n) { xs.push(d.x[n]); ys.push(d.y[n]); texts.push(text); });
    return tagged(Object.assign({
      type: "scatter", x: new Float64Array(xs), y: new Float64Array(ys), mode: "text"
    }, actorTexts(texts), {hoverinfo: "skip", showlegend: false, name: "names"}), "actor-labels");
  }

  function focusTrace(d) {
    var s = d.scene.style, focus = d.step.focus === undefined ? -1 : d.step.focus;
    var row = focus >= 0 ? d.nodes.indexOf(focus) : -1;
    var sizes = decode(d.step.nodeSize);
    return tagged({
      type: "scatter", x: row >= 0 ? [d.x[focus]] : [], y: row >= 0 ? [d.y[focus]] : [],
      mode: "markers",
      marker: {size: row >= 0 ? [sizes[row] + 14] : [], color: "rgba(0,0,0,0)",
               line: {width: 3, color: s.focusColour}},
      hoverinfo: "skip", showlegend: false, name: "focus"
    }, "focus-ring");
  }

  // The selection's highlight as layout shapes (see highlight_shapes in
  // dashboard/draw/assemble.py): a click then redraws the shapes alone.
  function highlightShapes(d, selection) {
    var s = d.scene.style, from = decode(d.scene.edgeFrom), to = decode(d.scene.edgeTo);
    var rows = [], ends = [];
    if (selection && selection.kind === "edge") {
      var row = d.edges.indexOf(selection.index);
      if (row >= 0) { rows = [row]; ends = [from[selection.index], to[selection.index]]; }
    } else if (selection && selection.kind === "pair") {
      var a = selection.index, b = selection.other;
      for (var j = 0; j < d.edges.length; j++) {
        var f = from[d.edges[j]], t = to[d.edges[j]];
        if ((f === a && t === b) || (f === b && t === a)) { rows.push(j); }
      }
      (a === b ? [a] : [a, b]).forEach(function (n) {
        if (d.nodes.indexOf(n) >= 0) { ends.push(n); }
      });
    } else if (selection && selection.kind === "node" && d.nodes.indexOf(selection.index) >= 0) {
      for (var i = 0; i < d.edges.length && rows.length < 500; i++) {
        var e = d.edges[i];
        if (from[e] === selection.index || to[e] === selection.index) { rows.push(i); }
      }
      ends = [selection.index];
    }
    var shapes = [], ts = linspace(s.curveSamples), path = "";
    rows.forEach(function (r) {
      path += "M" + ts.map(function (t) {
        var p = d.point(r, t);
        return p[0].toFixed(5) + "," + p[1].toFixed(5);
      }).join("L");
    });
    if (rows.length) {
      shapes.push({type: "path", path: path, xref: "x", yref: "y",
                   line: {color: s.highlightColour, width: 7}, opacity: 0.55, layer: "above"});
    }
    ends.forEach(function (n) {
      shapes.push({type: "circle", xref: "x", yref: "y", xsizemode: "pixel", ysizemode: "pixel",
                   xanchor: d.x[n], yanchor: d.y[n], x0: -25, x1: 25, y0: -25, y1: 25,
                   line: {color: s.highlightColour, width: 4}, layer: "above"});
    });
    return shapes;
  }

  function figureLayout(scene, step, narrow) {
    var s = scene.style;
    var ranges = step.ranges || scene.ranges;
    var revision = (scene.revision || "") + (step.frame ? "|" + step.frame : "");
    var axis = {visible: false, showgrid: false, zeroline: false, fixedrange: false};
    var annotations = [];
    if (step.notice) {
      annotations.push({text: step.notice, xref: "paper", yref: "paper", x: 0, y: 1,
        xanchor: "left", yanchor: "bottom", showarrow: false,
        font: {size: 12, color: "#92400e"}, bgcolor: "#fffbeb"});
    }
    if (step.sizeKey.note) {
      annotations.push({text: step.sizeKey.note, xref: "paper", yref: "paper", x: 0, y: 0,
        xanchor: "left", yanchor: "bottom", showarrow: false,
        font: {size: 11, color: "#374151"}, bgcolor: "rgba(255,255,255,0.85)"});
    }
    (step.clusterLabels || []).forEach(function (label) {
      annotations.push({text: "<b>" + label.text + "</b>", x: label.x, y: label.y, xref: "x",
        yref: "y", showarrow: false, font: {size: 13, color: "#111827"},
        bgcolor: "rgba(255,255,255,0.75)"});
    });
    var legend = {font: {size: 11}, tracegroupgap: 4, itemclick: false, itemdoubleclick: false};
    var margin;
    if (narrow) {
      legend.orientation = "h"; legend.x = 0; legend.y = -0.01;
      legend.xanchor = "left"; legend.yanchor = "top"; legend.tracegroupgap = 2;
      legend.font = {size: 10};
      margin = {l: 10, r: 10, t: 36, b: 10, autoexpand: true};
    } else {
      legend.x = 1.01; legend.xanchor = "left"; legend.y = 1; legend.yanchor = "top";
      margin = {l: 10, r: s.legendWidth, t: 36, b: 10, autoexpand: false};
    }
    return {
      xaxis: Object.assign({}, axis, {range: ranges.x.slice(), autorange: false}),
      yaxis: Object.assign({}, axis, {range: ranges.y.slice(), autorange: false, scaleanchor: "x"}),
      margin: margin, plot_bgcolor: "#fff", paper_bgcolor: "#fff", hovermode: "closest",
      clickmode: "event", dragmode: "pan", uirevision: revision,
      annotations: annotations, legend: legend, showlegend: true
    };
  }

  function placeholder(message) {
    return {data: [], layout: {
      xaxis: {visible: false}, yaxis: {visible: false}, plot_bgcolor: "#fff",
      annotations: [{text: message, showarrow: false, font: {size: 15}, xref: "paper", yref: "paper"}]
    }};
  }

  function isNarrow(scene) {
    var graph = document.getElementById("network");
    return !!graph && graph.offsetWidth > 0 && graph.offsetWidth < scene.style.narrowGraph;
  }

  function assembleFigure(scene, step, selection, overlays, narrow) {
    var d = new Drawing(scene, step);
    var traces = legendTraces(scene, step);
    if (d.edges.length) {
      traces = traces.concat(lineTraces(d), labelTraces(d), arrowTraces(d), [hitTrace(d)]);
    }
    traces = traces.concat(nodeTraces(d), [focusTrace(d)]);
    if (overlays) {
      var faded = ["edge-lines", "edge-labels", "edge-arrows", "actors", "actor-labels"];
      traces.forEach(function (trace) {
        if (faded.indexOf(trace.meta.role) >= 0) {
          trace.opacity = (trace.opacity === undefined ? 1.0 : trace.opacity) * overlays.fade;
        }
      });
      traces = traces.concat(overlays.traces);
    }
    var layout = figureLayout(scene, step, narrow);
    layout.shapes = highlightShapes(d, selection);
    return {data: traces, layout: layout};
  }

  function onlyTriggeredBy(propId) {
    var context = window.dash_clientside.callback_context, fired = context && context.triggered;
    return !!fired && fired.length > 0 && fired.every(function (t) { return t.prop_id === propId; });
  }

  // Whether the map as drawn has a path or a comparison on it (draw/path_overlay.py,
  // draw/compare_overlay.py tag their traces so).
  function drawsOverlays() {
    var gd = document.querySelector("#network .js-plotly-plot");
    return !!gd && (gd.data || []).some(function (t) {
      return !!t.meta && /^(path|compare)-/.test(t.meta.role || "");
    });
  }

  function rolesOf(figure) {
    return figure.data.map(function (t) { return t.meta ? t.meta.role : ""; });
  }

  // A click on empty space clears the selection. Plotly reports clicks on points only;
  // after any click that was not a drag it re-dispatches a synthetic (untrusted) click on
  // its drag layer, so a synthetic click that came without a plotly_click hit nothing.
  var pointHit = false;
  function graphDiv(target) {
    var graph = target && target.closest ? target.closest("#network") : null;
    return graph ? graph.querySelector(".js-plotly-plot") : null;
  }
  document.addEventListener("pointerdown", function (event) {
    var gd = graphDiv(event.target);
    if (!gd) { return; }
    pointHit = false;
    // Listen afresh each time: a new plot (Plotly.newPlot) drops its listeners.
    if (gd.on) {
      if (gd.removeListener) { gd.removeListener("plotly_click", onPointClick); }
      gd.on("plotly_click", onPointClick);
    }
  }, true);
  function onPointClick() { pointHit = true; }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (event.isTrusted || !target || !target.classList || !target.classList.contains("nsewdrag")) {
      return;
    }
    if (!graphDiv(target) || pointHit) { return; }
    window.dash_clientside.set_props("selection", {data: null});
  }, true);

  // Plotly draws WebGL at twice the screen's resolution unless told (plotGlPixelRatio 2):
  // on a screen of devicePixelRatio 1, four times the pixels, which WebGL without a GPU
  // paints slowly (at 100,000 claims: the first view 0.4 s sooner at the screen's own
  // resolution, Reset 0.16 s). A high-density screen keeps its resolution.
  var resolutionSet = false;
  function matchScreenResolution() {
    if (resolutionSet || !window.Plotly || !window.Plotly.setPlotConfig) { return; }
    var ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 4);
    window.Plotly.setPlotConfig({plotGlPixelRatio: ratio});
    resolutionSet = true;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.network = {
    // Exposed for the browser test that compares this assembler with the Python one.
    assembleFigure: assembleFigure,
    decode: decode,

    assemble: function (scene, step, overlays, selection) {
      var nothing = window.dash_clientside.no_update;
      if (!scene) { return [nothing, nothing]; }
      // The overlays' store is written on every filter change, mostly with nothing again;
      // alone, that would redraw the same map (at 10M claims, whose step comes later,
      // the map was drawn twice for one time-range step).
      if (!overlays && onlyTriggeredBy("overlays.data") && !drawsOverlays()) { return [nothing, nothing]; }
      if (scene.placeholder) { return [placeholder(scene.placeholder), []]; }
      if (!step || step.sceneKey !== scene.key) { return [nothing, nothing]; }
      if (step.failed) { return [placeholder(step.failed), []]; }
      var figure;
      matchScreenResolution();
      try {
        figure = assembleFigure(scene, step, selection, overlays, isNarrow(scene));
        // Playback's frames (assets/playback.js) also draw the edges gone since the last one.
        if (step.playback && window.dash_clientside.playback) {
          figure = window.dash_clientside.playback.withGone(figure, step, scene);
        }
      } catch (error) {  // a message in the page, never a blank map
        return [placeholder("This view could not be drawn in the browser (" + error.name +
                            "). Change the filters or press Reset."), []];
      }
      return [figure, rolesOf(figure)];
    },

    // A new selection moves the highlight: a Patch of the layout's shapes, which Plotly
    // redraws alone (the traces keep their data, so nothing is recomputed).
    highlight: function (selection, scene, step, roles) {
      var nothing = window.dash_clientside.no_update;
      if (!scene || scene.placeholder || !step || step.sceneKey !== scene.key || !roles || !roles.length) {
        return nothing;
      }
      var patch = new window.dash_clientside.Patch()
        .assign(["layout", "shapes"], highlightShapes(new Drawing(scene, step), selection));
      // The axes as drawn: Plotly widens one range to keep the map's aspect (scaleanchor)
      // and writes it back to the plot's layout. Patched from the figure as sent, the
      // ranges would differ, and Plotly would redraw every trace (1 s at 100k claims).
      var gd = document.querySelector("#network .js-plotly-plot");
      if (gd && gd.layout) {
        ["xaxis", "yaxis"].forEach(function (axis) {
          if (gd.layout[axis]) { patch.assign(["layout", axis], Object.assign({}, gd.layout[axis])); }
        });
        if (gd.layout.autosize !== undefined) { patch.assign(["layout", "autosize"], gd.layout.autosize); }
      }
      return patch.build();
    }
  };
})();
