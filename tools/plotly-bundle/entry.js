// The page's Plotly: the core (with scatter) and the two other trace types the map and
// the timeline draw. dcc.Graph uses window.Plotly when it is there, instead of loading
// Plotly's full 4.8 MB bundle (which took 0.66 s to evaluate before the first view).
// The version is the one the Python `plotly` package bundles (exports draw with that
// one): tests/test_plotly_bundle.py checks that they agree.
var Plotly = require("plotly.js/lib/core");

Plotly.register([require("plotly.js/lib/bar"), require("plotly.js/lib/scattergl")]);

window.Plotly = Plotly;
