"""Component ids, in one place. The first five are a public contract: tests, docs and
users' scripts rely on them. Keep them when redesigning."""

NETWORK = "network"
EVIDENCE = "evidence"
TIME_RANGE = "time-range"
SOURCE_FILTER = "source-filter"
COUNTS = "counts"

INCLUDE_UNDATED = "include-undated"
RELATION_FILTER = "relation-filter"
ACTOR_TYPE_FILTER = "actor-type-filter"
STANCE_FILTER = "stance-filter"
MIN_SOURCES = "min-sources"
FOCUS_ACTOR = "focus-actor"
FOCUS_DEPTH = "focus-depth"
RESET = "reset"
LAYOUT_CHOICE = "layout-choice"
SIZE_BY = "size-by"
RELAYOUT = "relayout-visible"
RELAYOUT_STATUS = "relayout-status"

SELECTION = "selection"
POSITIONS_OVERRIDE = "positions-override"
FIGURE_TRACES = "figure-traces"  # how many traces the figure has; the last two highlight
# Pattern-matching id type for the relation lines on an actor card: {"type": ..., "edge": n}.
CARD_EDGE = "card-edge"
