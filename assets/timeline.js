/*
 * Time in the page (dashboard/web/time_panel.py): the time range's text, the timeline's
 * shaded range and its brush, and playback's controls.
 *
 * Slider values are years, month indices (year * 12 + month - 1) or day numbers (days
 * since 1970), as the time scale store says (dashboard/query/periods.py).
 *
 * Playback draws each frame from a pack the server sent once (assets/playback.js); on
 * pause the frame's period goes to the time slider, so the server redraws the same view
 * and the URL holds it. A pack that says "fallback" (or ``forceServer``, for the
 * benchmark) makes every frame go through the time slider and the server instead.
 */
(function () {
  "use strict";

  function pad(n, width) { var s = String(n); while (s.length < width) { s = "0" + s; } return s; }

  function valueText(value, unit) {
    if (unit === "month") { return pad(Math.floor(value / 12), 4) + "-" + pad(value % 12 + 1, 2); }
    if (unit === "day") {
      var d = new Date(value * 86400000);
      return pad(d.getUTCFullYear(), 4) + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2);
    }
    return String(value);
  }

  function rangeText(values, scale) {
    if (!values || !scale) { return ""; }
    var low = valueText(values[0], scale.unit), high = valueText(values[1], scale.unit);
    if (low === high) { return low; }
    return scale.unit === "year" ? low + "–" + high : low + " – " + high;
  }

  // Slider tooltips (dcc.RangeSlider's tooltip.transform looks in window.dccFunctions).
  window.dccFunctions = window.dccFunctions || {};
  window.dccFunctions.monthText = function (value) { return valueText(value, "month"); };
  window.dccFunctions.dayText = function (value) { return valueText(value, "day"); };

  function triggeredProp() {
    var context = window.dash_clientside.callback_context;
    var first = context && context.triggered && context.triggered[0];
    return first ? first.prop_id : "";
  }

  function triggered() { return triggeredProp().split(".")[0]; }

  function same(a, b) { return !!a && !!b && a[0] === b[0] && a[1] === b[1]; }

  function shading(values, scale) {
    if (!values || !scale || (values[0] === scale.low && values[1] === scale.high)) { return []; }
    return [{type: "rect", xref: "x", yref: "paper", x0: values[0] - 0.5, x1: values[1] + 0.5,
             y0: 0, y1: 1, fillcolor: "rgba(37, 99, 235, 0.13)", line: {width: 1, color: "#2563eb"},
             layer: "below"}];
  }

  function shapes(list) {
    return new window.dash_clientside.Patch().assign(["layout", "shapes"], list).build();
  }

  function timelinePlot() { return document.querySelector("#timeline .js-plotly-plot"); }

  // The box over the timeline's bars for ``values`` (where shading's rectangle would be),
  // in pixels of the plot; null before the timeline is drawn.
  function overBars(values, scale) {
    var gd = timelinePlot(), full = gd && gd._fullLayout, axis = full && full.xaxis;
    if (!axis || !axis._length || !full._size) { return null; }
    if (!shading(values, scale).length) { return {hidden: true}; }
    var low = axis._offset, high = axis._offset + axis._length;
    var left = Math.max(low, Math.min(high, axis._offset + axis.l2p(values[0] - 0.5)));
    var right = Math.max(low, Math.min(high, axis._offset + axis.l2p(values[1] + 0.5)));
    return {left: left + "px", width: Math.max(right - left, 1) + "px",
            top: full._size.t + "px", height: full._size.h + "px"};
  }

  function packReady(pack, frames) {
    return !!pack && !pack.fallback && !!pack.frames && pack.frames.length === frames.frames.length &&
      pack.frames[0][0] === frames.frames[0][0] && pack.frames[0][1] === frames.frames[0][1];
  }

  function serverMode(pack) {
    return !!(pack && pack.fallback) || !!window.dash_clientside.playback.forceServer;
  }

  var time = {
    rangeText: rangeText,

    // The current range on the timeline: the slider's, as a shape of the figure; or the
    // frame playing, as a box laid over it, so that a frame redraws no timeline.
    shade: function (range, state, frames, scale) {
      var nothing = window.dash_clientside.no_update;
      var playing = state && state.playing && state.frame >= 0 && frames && frames.values[state.frame];
      var box = playing ? overBars(frames.values[state.frame], scale) : null;
      if (box) {
        var gd = timelinePlot(), drawn = gd && gd.layout && gd.layout.shapes;
        var figure = drawn && drawn.length ? shapes([]) : nothing;
        return box.hidden ? [figure, nothing, true] : [figure, box, false];
      }
      return [shapes(shading(playing ? frames.values[state.frame] : range, scale)), nothing, true];
    },

    // A brush across the timeline (or a click on a bar) sets the time range.
    brush: function (selected, clicked, scale) {
      var nothing = window.dash_clientside.no_update;
      if (!scale) { return nothing; }
      var low, high;
      var prop = triggeredProp();
      if (prop.endsWith(".selectedData") && selected && selected.range && selected.range.x) {
        var x = selected.range.x;
        low = Math.ceil(x[0] - 0.5); high = Math.floor(x[1] + 0.5);
      } else if (prop.endsWith(".clickData") && clicked && clicked.points && clicked.points.length &&
                 typeof clicked.points[0].x === "number") {
        var start = clicked.points[0].x - (scale.binWidth - 1) / 2;
        low = start; high = start + scale.binWidth - 1;
      } else {
        return nothing;
      }
      low = Math.max(scale.low, Math.min(scale.high, low));
      high = Math.max(scale.low, Math.min(scale.high, high));
      return low <= high ? [low, high] : nothing;
    },

    interval: function (speed) { return Math.round(1000 / (speed || 1)); }
  };

  var previousStep = null;  // the last frame drawn from the pack, for its gone edges

  // Play, pause, previous and next frame, the timer's ticks and Reset, in one place.
  function control(playClicks, previousClicks, nextClicks, ticks, resetClicks,
                   state, frames, pack, scene, range, current) {
    var nothing = window.dash_clientside.no_update;
    var out = [nothing, nothing, nothing, nothing, nothing, nothing, nothing, nothing];
    // state, armed, timer disabled, step, counts, time range, play button, frame text
    var trigger = triggered();
    state = state || {playing: false, frame: -1};
    if (!frames || !frames.frames || !frames.frames.length) { return out; }
    var n = frames.frames.length;
    var sceneReady = scene && !scene.placeholder;
    function label(k) { return frames.frames[k][2] + " · frame " + (k + 1) + " of " + n; }
    function current() {
      for (var k = 0; k < n; k++) { if (same(frames.values[k], range)) { return k; } }
      return -1;
    }
    function stopped(k) {
      out[0] = {playing: false, frame: k}; out[2] = true; out[6] = "▶ Play";
      if (k >= 0) { out[5] = frames.values[k]; out[7] = label(k); }
    }
    function show(k) {
      if (serverMode(pack)) {
        out[5] = frames.values[k];
      } else {
        var playback = window.dash_clientside.playback;
        // The step shown (the view's, then each frame's) hands its camera on.
        var camera = current ? {ranges: current.ranges || null, frame: current.frame || ""} : null;
        var step = playback.frameStep(pack, scene, k, camera);
        step.gone = playback.goneSince(previousStep, step, pack.nEdges);
        previousStep = step;
        out[3] = step; out[4] = step.counts;
      }
      out[7] = label(k);
    }
    var canDraw = sceneReady && (serverMode(pack) || packReady(pack, frames));
    if (trigger === "reset") {
      if (state.playing) { out[0] = {playing: false, frame: -1}; out[2] = true; out[6] = "▶ Play"; out[7] = ""; }
      return out;
    }
    if (trigger === "play") {
      if (state.playing) { stopped(state.frame); return out; }
      previousStep = null;
      var k = current(), start = (k >= 0 && k < n - 1) ? k + 1 : 0;
      out[1] = true; out[2] = false; out[6] = "❚❚ Pause";
      if (canDraw) { show(start); out[0] = {playing: true, frame: start}; }
      else { out[0] = {playing: true, frame: start - 1}; out[7] = "Preparing playback…"; }
      return out;
    }
    if (trigger === "play-timer") {
      // ``manual`` (benchmarks): frames move only with the previous and next buttons.
      if (!state.playing || window.dash_clientside.playback.manual) { return out; }
      var next = state.frame + 1;
      if (next >= n) { stopped(n - 1); return out; }
      if (!canDraw) { return out; }
      show(next); out[0] = {playing: true, frame: next};
      return out;
    }
    if (trigger === "play-previous" || trigger === "play-next") {
      var from = state.playing ? state.frame : current();
      var target = trigger === "play-next" ? (from < 0 ? 0 : Math.min(from + 1, n - 1))
        : (from < 0 ? n - 1 : Math.max(from - 1, 0));
      if (state.playing && canDraw) { show(target); out[0] = {playing: true, frame: target}; }
      else if (!state.playing) { out[0] = {playing: false, frame: target}; out[5] = frames.values[target]; out[7] = label(target); }
      return out;
    }
    return out;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.time = time;
  window.dash_clientside.playback = window.dash_clientside.playback || {};
  window.dash_clientside.playback.control = control;
})();
