"""Component ids, in one place. The first five are a public contract: tests, docs and
users' scripts rely on them. Keep them when redesigning."""

NETWORK = "network"
EVIDENCE = "evidence"
TIME_RANGE = "time-range"
SOURCE_FILTER = "source-filter"
COUNTS = "counts"

TIME_RANGE_TEXT = "time-range-text"
INCLUDE_UNDATED = "include-undated"
RELATION_FILTER = "relation-filter"
ACTOR_TYPE_FILTER = "actor-type-filter"
ACTOR_TYPE_MATCH = "actor-type-match"  # both ends of a claim of a picked type, or either
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
SIZING_POLL = "sizing-poll"  # ticks while betweenness is computed in the background
LAYOUT_POLL = "layout-poll"  # ticks while a layout is computed, to show its progress
SCENE = "scene"  # what the map keeps while filtering (draw/scene.py), sent once
STEP = "step"  # what a filter change decides, sent per change
LAYOUT_READY = "layout-ready"  # written when a layout the page waited for is ready
OVERLAYS = "overlays"  # extra traces drawn on top of the map (e.g. a path), or None
FIGURE_ROLES = "figure-roles"  # the role of each trace of the figure (draw/roles.py)
# Pattern-matching id type for the relation lines on an actor card: {"type": ..., "edge": n}.
CARD_EDGE = "card-edge"
# Everything between two actors (query/pairs.py): {"type": CARD_PAIR, "a": code, "b": code}
# buttons open it; {"type": PAIR_EDGE, "edge": n, "place": ...} buttons in it open one edge.
CARD_PAIR = "card-pair"
PAIR_EDGE = "pair-edge"
PAIR_A = "pair-a"  # the two actors picked to see everything between them
PAIR_B = "pair-b"

EVIDENCE_TOOLS = "evidence-tools"  # search, order and pages of a long list of claims
EVIDENCE_SEARCH = "evidence-search"
EVIDENCE_ORDER = "evidence-order"
EVIDENCE_PREVIOUS = "evidence-previous"
EVIDENCE_NEXT = "evidence-next"
EVIDENCE_PAGE = "evidence-page"
# Paths between two actors (web/paths_panel.py). PATH_PICK holds the shown path's number
# from 1; PATH_CHOOSE is the pattern-matching id type of each path's "show" button.
PATH_FROM = "path-from"
PATH_TO = "path-to"
PATH_HOPS = "path-hops"
PATH_DIRECTED = "path-directed"
PATH_K = "path-k"
PATH_PICK = "path-pick"
PATH_RESULTS = "path-results"
PATH_CHOOSE = "path-choose"
# Time (web/time_panel.py, web/compare_panel.py): the timeline under the map, playback
# and two periods compared. COMPARE_ROW is the pattern-matching id type of a table row.
TIMELINE = "timeline"
TIMELINE_SHADE = "timeline-shade"  # the frame playing, shaded over the timeline
TIMELINE_STACK = "timeline-stack"
TIME_SCALE = "time-scale"
PLAY = "play"
PLAY_PREVIOUS = "play-previous"
PLAY_NEXT = "play-next"
PLAY_WINDOW = "play-window"
PLAY_STEP = "play-step"
PLAY_SPEED = "play-speed"
PLAY_TIMER = "play-timer"
PLAY_STATE = "play-state"
PLAY_ARMED = "play-armed"
PLAY_FRAMES = "play-frames"
PLAY_PACK = "play-pack"
PLAY_FRAME = "play-frame"
COMPARE_ON = "compare-on"
COMPARE_A = "compare-a"
COMPARE_B = "compare-b"
COMPARE_RESULTS = "compare-results"
COMPARE_ROW = "compare-row"
COMPARE_CLAIMS = "compare-claims"
EXPORT_FILM = "export-film"
EXPORT_FILM_FORMAT = "export-film-format"
EXPORT_FILM_STATUS = "export-film-status"
DOWNLOAD_FILM = "download-film"

URL = "url"
EXPORT_MENU = "export-menu"  # the header's "Export" disclosure holding the controls below
URL_NOTICE = "url-notice"
EXPORT_TITLE = "export-title"
EXPORT_FORMAT = "export-format"
EXPORT_SCALE = "export-scale"
EXPORT_FIGURE = "export-figure"
EXPORT_STATUS = "export-status"
EXPORT_CSV = "export-csv"
EXPORT_GRAPHML = "export-graphml"
EXPORT_GEXF = "export-gexf"
DOWNLOAD_FIGURE = "download-figure"
DOWNLOAD_DATA = "download-data"
# Report exports (web/sharing.py): page size, the selection's highlight, the report with its
# evidence appendix, and the bibliography of the view's sources.
EXPORT_SIZE = "export-size"
EXPORT_HIGHLIGHT = "export-highlight"
EXPORT_REPORT = "export-report"
EXPORT_REPORT_FORMAT = "export-report-format"
REPORT_STATUS = "report-status"
DOWNLOAD_REPORT = "download-report"
EXPORT_BIBTEX = "export-bibtex"
EXPORT_CSL = "export-csl"
EXPORT_SOURCES_TEXT = "export-sources-text"
