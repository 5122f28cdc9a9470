"""A corpus of hostile strings for text that reaches the page: each, if it ran, would set
``window.__xss``; shown as text, it sets nothing."""

from __future__ import annotations

TITLES = [
    "T</title><img src=x onerror=\"window.__xss='title-img'\">",
    "</title><script>window.__xss='title-script'</script>",
    '"><svg onload="window.__xss=\'svg\'">',
    "{%scripts%}{%config%}{%renderer%}",
    "&lt;b&gt;entities stay as typed&amp;",
    "</head><body><iframe src=\"javascript:window.top.__xss='iframe'\"></iframe>",
    "<!-- {%app_entry%} -->",
]
