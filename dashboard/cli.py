"""The ``dashboard`` command: ``run`` serves the explorer, ``check`` validates data,
``export`` writes a view, ``paths`` says how two actors are linked."""

from __future__ import annotations

import errno
import functools
import sys
from pathlib import Path

import click

from dashboard.data import LoadOverrides, Report, load_dataset
from dashboard.data.mapping import SPLITTABLE
from dashboard.data.presets import PRESET_NAMES
from dashboard.data.report import printable
from dashboard.export.page_sizes import DEFAULT_SIZE as DEFAULT_PAGE_SIZE
from dashboard.export.page_sizes import PAGE_SIZES as PAGE_SIZE_NAMES
from dashboard.text import plural

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"


def _load_options(command):
    """The options that say how to read DATA, as one LoadOverrides argument."""
    options = [
        click.option(
            "--map",
            "mappings",
            multiple=True,
            metavar="OURS=THEIRS",
            help="Map one of our columns to a column of yours, e.g. --map from=Actor1 "
            "or --map actors.id=Code (by position, from 1, with --no-header). Repeatable.",
        ),
        click.option(
            "--delimiter", default=None, help="Column separator: , ; tab | (default: detected)."
        ),
        click.option("--encoding", default=None, help="The files' text encoding (default: utf-8)."),
        click.option("--no-header", is_flag=True, help="The relations file has no header row."),
        click.option(
            "--missing",
            multiple=True,
            metavar="TEXT",
            help="A cell meaning 'no value' (repeatable; replaces NA, N/A, null, -; --missing '' for none).",
        ),
        click.option(
            "--date-order",
            type=click.Choice(["MDY", "DMY"], case_sensitive=False),
            default=None,
            help="How to read dates like 3/4/2005: MDY (US, the default) or DMY.",
        ),
        click.option(
            "--list-column",
            "list_columns",
            multiple=True,
            type=click.Choice(SPLITTABLE),
            help="This column's cells may hold several values: actors in from or to make "
            "one claim per pair; sources or published dates stay one claim.",
        ),
        click.option(
            "--list-separator", default=None, help="Between actors in a list cell (default: ;)."
        ),
        click.option(
            "--relation-labels",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="A CSV file with columns code,label: relation codes in the data become labels.",
        ),
        click.option(
            "--preset",
            type=click.Choice(PRESET_NAMES, case_sensitive=False),
            default=None,
            help="Read a known event-data format (detected from the header when not given; "
            "none: no preset).",
        ),
        click.option(
            "--two-digit-pivot",
            type=click.IntRange(0, 100),
            default=None,
            help="Two-digit years from this one up are 19xx, below it 20xx (default: 69).",
        ),
        click.option(
            "--skip-invalid",
            is_flag=True,
            help="Load the valid rows; leave out (and list) the rows with errors.",
        ),
        click.option(
            "--allow-outside-data",
            is_flag=True,
            help="Let the data folder's files (dashboard.toml's, documents/) lie, or link, "
            "outside it. Off by default: a folder from someone else reads only itself.",
        ),
    ]

    @functools.wraps(command)
    def with_overrides(*args, mappings, delimiter, encoding, no_header, missing, date_order, list_columns,
                       list_separator, relation_labels, preset, two_digit_pivot, skip_invalid,
                       allow_outside_data,
                       **kwargs):  # fmt: skip
        overrides = LoadOverrides(
            mappings=tuple(mappings),
            delimiter=delimiter,
            encoding=encoding,
            no_header=no_header,
            missing=None if not missing else tuple(m for m in missing if m),
            date_order=date_order.upper() if date_order else None,
            list_columns=tuple(list_columns),
            list_separator=list_separator,
            relation_labels=relation_labels,
            skip_invalid=skip_invalid,
            allow_outside_data=allow_outside_data,
            preset=preset.lower() if preset else None,
            two_digit_pivot=two_digit_pivot,
        )
        return command(*args, overrides=overrides, **kwargs)

    for option in reversed(options):
        with_overrides = option(with_overrides)
    return with_overrides


_data_argument = click.argument(
    "data", required=False, type=click.Path(path_type=Path), default=None
)


def _engine_name(_context, _param, engine: str) -> str:
    if engine in ("auto", "memory", "duckdb") or "://" in engine:
        return engine
    raise click.BadParameter(
        f"{engine!r}: give auto, memory, duckdb or an Ibis connection URL (duckdb:///claims.ddb, "
        "trino://user@host:8080/catalog/schema, postgres://user@host/db ...)"
    )


_engine_option = click.option(
    "--engine",
    default="auto",
    show_default=True,
    callback=_engine_name,
    metavar="auto|memory|duckdb|URL",
    help="Where the claims live while serving: memory, or DuckDB (on disk, for millions "
    "of claims); auto: DuckDB above 2,000,000 claims. An Ibis connection URL "
    "(duckdb:///claims.ddb, trino://..., postgres://...): DATA is read here, its claims "
    "written to that engine as table 'claims' (replaced) and served from it.",
)


_allowed_host_option = click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name users type to reach the app (repeatable). Requests addressed to "
    "other names are refused (against DNS rebinding); loopback names always work.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="actor-network-dashboard")
def main() -> None:
    """Explore who is connected to whom, and on what evidence.

    DATA is a folder holding relations.csv (and optionally actors.csv, documents/
    and dashboard.toml) or a single relations CSV file.
    """


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.option(
    "--max-per-kind",
    default=50,
    show_default=True,
    type=click.IntRange(min=0),
    help="List at most this many problems of one kind (0: all).",
)
@_load_options
def check(data: Path, overrides: LoadOverrides, max_per_kind: int) -> None:
    """Validate DATA without serving it. Exits 1 if there are errors.

    Prints the count of problems per kind first, then examples of each kind.
    """
    dataset, report = load_dataset(data, overrides, progress=True)
    click.echo(report.format(max_per_kind or None, totals=True))
    if dataset is not None:
        claims, actors = dataset.claims, dataset.actors
        verified = int(claims["verified"].sum())
        click.echo(
            f"{plural(len(claims), 'claim')}, {plural(len(actors), 'actor')}; "
            f"{plural(verified, 'quote')} verified against local copies of their documents"
        )
    sys.exit(1 if report.has_errors else 0)


def _not_empty(_context, _param, host: str) -> str:
    if not host.strip():
        raise click.BadParameter(
            "give an address: 127.0.0.1 (this machine only, the default) or 0.0.0.0 (all)"
        )
    return host


_host_option = click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    callback=_not_empty,
    help="Address to listen on.",
)


@main.command()
@_data_argument
@_host_option
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option("--debug", is_flag=True, help="Dash dev tools and reloading; never on a public host.")
@_allowed_host_option
@_engine_option
@_load_options
def run(
    data: Path | None,
    overrides: LoadOverrides,
    host: str,
    port: int,
    debug: bool,
    allowed_hosts: tuple[str, ...],
    engine: str,
) -> None:
    """Serve the explorer on DATA (default: the bundled data set)."""
    hosts = _hosts_for(host, allowed_hosts)
    app, name = _app_for_serving(data or BUNDLED_DATA, overrides, engine, hosts, wait=False)
    click.echo(f"Serving {name} on http://{_url_host(host)}:{port}/ (Ctrl+C to stop)")
    channels: dict = {}  # waitress's sockets, to close should listening fail
    try:
        if debug:
            app.run(host=host, port=port, debug=True)
        else:
            from waitress import serve

            from dashboard.web.guard import MAX_BODY_BYTES

            serve(
                app.server,
                host=host,
                port=port,
                threads=8,
                max_request_body_size=MAX_BODY_BYTES,
                # Read on while a request runs, to notice a client that has gone (an image
                # export then stops: see web/background.py).
                channel_request_lookahead=1,
                _quiet=True,
                map=channels,
            )
    except (OSError, ValueError) as exc:  # waitress: ValueError for an address it cannot use
        for channel in list(channels.values()):
            channel.close()
        click.echo(f"error: cannot listen on {_url_host(host)}:{port}: {_why(exc)}", err=True)
        sys.exit(1)


def _why(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return "the port is in use (is another server running? pick another with --port)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[:1].lower() + exc.strerror[1:]
    return str(exc) or type(exc).__name__


EXPORT_FORMATS = ("png", "svg", "pdf", "html", "md", "docx", "csv", "graphml", "gexf", "bib", "json", "txt", "gif", "mp4", "webm")  # fmt: skip


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write; its extension picks the format: a figure (png, svg, pdf), a "
    "report (pdf, html, md, docx; with --appendix), the data (csv, graphml, gexf) or the "
    "sources (bib: BibTeX, json: CSL-JSON, txt: numbered list).",
)
@click.option(
    "--state",
    "query",
    default="",
    metavar="QUERY",
    help="The view, as the page URL's query string, e.g. '?from=1991&to=1998&source=UN+report'.",
)
@click.option("--title", default=None, help="The figure's title (default: the data set's).")
@click.option(
    "--size",
    type=click.Choice(list(PAGE_SIZE_NAMES)),
    default=DEFAULT_PAGE_SIZE,
    show_default=True,
    help="The page or figure size the export is drawn for (fonts never under 7 pt at it).",
)
@click.option(
    "--appendix",
    is_flag=True,
    help="After the figure, every claim behind the visible edges, numbered as the "
    "footnotes (pdf, html, md, docx).",
)
@click.option(
    "--highlight", is_flag=True, help="Draw the selected edge or actor (--state's edge=, actor=)."
)
@click.option(
    "--scale", default=2.0, show_default=True, type=click.FloatRange(0.5, 6), help="PNG scale."
)
@click.option("--window", default=None, help="Films: each frame's period, e.g. 1y, 6m, all.")
@click.option("--step", default=None, help="Films: from one frame to the next, e.g. 1y.")
@click.option(
    "--fps", default=1.0, show_default=True, type=click.FloatRange(0.1, 30), help="Films: speed."
)
@_load_options
def export(
    data: Path,
    out: Path,
    query: str,
    title: str | None,
    size: str,
    appendix: bool,
    highlight: bool,
    scale: float,
    window: str | None,
    step: str | None,
    fps: float,
    overrides: LoadOverrides,
) -> None:
    """Write the view of DATA that --state names: a report figure, a report with its
    evidence appendix, its data, its sources, or a film of its playback (GIF, MP4, WebM:
    one frame per step of --window, every --step)."""
    from dashboard.draw.footnotes import footnotes
    from dashboard.draw.report_figure import TITLE_LIMIT, ExportError, title_problem
    from dashboard.export.citations import BIBLIOGRAPHY_FORMATS, bibliography_file
    from dashboard.export.data_files import claims_csv, graph_file
    from dashboard.export.report import DOCUMENT_FORMATS, export_job, render
    from dashboard.graph import Network
    from dashboard.positions.cache import LayoutCache
    from dashboard.query.filters import apply_filters
    from dashboard.web.url_codec import from_query

    file_format = out.suffix.lower().lstrip(".")
    if file_format not in EXPORT_FORMATS:
        raise click.BadParameter(
            f"use one of: {', '.join('.' + f for f in EXPORT_FORMATS)}", param_hint="--out"
        )
    if title is not None and (problem := title_problem(title)):
        raise click.BadParameter(problem, param_hint="--title")
    if appendix and file_format not in DOCUMENT_FORMATS:
        click.echo(
            f"warning: --appendix: a .{file_format} file has none; it goes into "
            + ", ".join("." + f for f in DOCUMENT_FORMATS),
            err=True,
        )
    dataset = _load_for_serving(data, overrides)
    network = Network.from_dataset(dataset)
    state, notices = from_query(query, network)
    for notice in notices:
        click.echo(f"warning: --state: {printable(notice)}; ignored", err=True)
    if file_format in ("gif", "mp4", "webm"):
        from dashboard.export.film import write_film

        figure_title = title or dataset.name[:TITLE_LIMIT]
        try:
            message = write_film(network, state, out, figure_title, dataset.name, window, step, fps)
        except (ExportError, ValueError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        click.echo(message)
        return
    view = apply_filters(network, state.filters)
    if file_format == "csv":
        out.write_text(claims_csv(view), encoding="utf-8")
    elif file_format in ("graphml", "gexf"):
        out.write_bytes(graph_file(view, file_format))
    elif file_format in BIBLIOGRAPHY_FORMATS:
        out.write_text(bibliography_file(footnotes(view), file_format), encoding="utf-8")
    else:
        positions = LayoutCache(network).get(state.layout)  # the page's layout, from disk if cached
        figure_title = title or dataset.name[:TITLE_LIMIT]
        try:
            job = export_job(
                view,
                positions,
                state,
                figure_title,
                dataset.name,
                file_format,
                size,
                appendix=appendix,
                highlight=highlight,
                scale=scale,
            )
            out.write_bytes(render(job))
        except ExportError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        if job.appendix is not None and (note := job.appendix.omitted_note()):
            click.echo(f"note: {note}", err=True)
    click.echo(f"Wrote {out} ({view.counts_text()})")


PATH_FORMATS = ("text", "json", "csv")


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.argument("start", metavar="FROM")
@click.argument("end", metavar="TO")
@click.option(
    "--max-hops", default=4, show_default=True, type=click.IntRange(1, 6), help="Longest path."
)
@click.option("--directed", is_flag=True, help="Follow the direction of relations.")
@click.option(
    "-k", "k", default=5, show_default=True, type=click.IntRange(1, 20), help="How many paths."
)
@click.option(
    "--state",
    "query",
    default="",
    metavar="QUERY",
    help="Filters, as the page URL's query string, e.g. '?from=1991&to=1998'.",
)
@click.option(
    "--format", "output_format", type=click.Choice(PATH_FORMATS), default="text", show_default=True
)
@_load_options
def paths(
    data: Path,
    start: str,
    end: str,
    max_hops: int,
    directed: bool,
    k: int,
    query: str,
    output_format: str,
    overrides: LoadOverrides,
) -> None:
    """The k best paths from actor FROM to actor TO (id, name or alias) with the
    evidence for every hop. Exits 1 when there is no path."""
    from dashboard.export.path_files import paths_csv, paths_json, paths_text
    from dashboard.graph import Network
    from dashboard.query.filters import apply_filters
    from dashboard.query.paths import PathQuery, find_paths
    from dashboard.web.url_codec import from_query

    network = Network.from_dataset(_load_for_serving(data, overrides))
    ends = []
    for name, text in (("FROM", start), ("TO", end)):
        found = network.find_actor(text)
        if found is None:
            raise click.BadParameter(f"no actor {text!r} in {data}", param_hint=name)
        ends.append(found)
    state, notices = from_query(query, network)
    for notice in notices:
        click.echo(f"warning: --state: {notice}; ignored", err=True)
    view = apply_filters(network, state.filters)
    result = find_paths(view, PathQuery(*ends, max_hops, directed, k), state.filters)
    write = {"text": paths_text, "json": paths_json, "csv": paths_csv}[output_format]
    click.echo(write(view, result), nl=False)
    if not result.paths:
        if output_format != "text":
            for hint in result.hints:
                click.echo(hint, err=True)
        sys.exit(1)


@main.command()
@_data_argument
@_host_option
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Worker processes."
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per worker.",
)
@_allowed_host_option
@_engine_option
@_load_options
def serve(
    data: Path | None,
    overrides: LoadOverrides,
    host: str,
    port: int,
    workers: int,
    threads: int,
    allowed_hosts: tuple[str, ...],
    engine: str,
) -> None:
    """Serve DATA to many users through gunicorn's worker processes (Unix).

    The data and its layout are loaded once, before the workers start, and shared.
    """
    from dashboard.serving import serve_with_gunicorn

    hosts = _hosts_for(host, allowed_hosts)
    app, name = _app_for_serving(data or BUNDLED_DATA, overrides, engine, hosts, wait=True)
    click.echo(f"Serving {name} on http://{_url_host(host)}:{port}/ with {workers} workers")
    serve_with_gunicorn(app.server, host, port, workers, threads)


def _hosts_for(host: str, extra: tuple[str, ...]) -> frozenset[str]:
    """The host names the app answers to; warns when it listens beyond this machine."""
    from dashboard.web.hardening import allowed_hosts, host_name, is_loopback

    bad = [name for name in extra if host_name(name) is None]
    if bad:
        raise click.BadParameter(f"not a host name: {bad[0]!r}", param_hint="--allowed-host")
    hosts = allowed_hosts(host, extra)
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can read the data",
            err=True,
        )
        click.echo(
            "Answering requests addressed to: "
            + ", ".join(sorted(hosts))
            + " (add the names users type with --allowed-host NAME).",
            err=True,
        )
    return hosts


def _app_for_serving(data: Path, overrides: LoadOverrides, engine: str, hosts, wait: bool):
    """The app on DATA, its claims in memory or in DuckDB (see dashboard/large_data.py),
    and the data set's name for the console."""
    from dashboard.large_data import duckdb_reads, pick_engine
    from dashboard.web.app import create_app

    if "://" in engine:
        served, name = _url_engine(data, overrides, engine)
        layouts = _layouts_with_progress(served.network, wait=wait)
        return create_app(None, layouts, hosts, engine=served, name=name), printable(name)
    chosen = pick_engine(data, engine) if data.exists() else "memory"
    plain = overrides == LoadOverrides(skip_invalid=overrides.skip_invalid)
    if engine == "auto" and chosen == "duckdb" and (duckdb_reads(data) or not plain):
        why = duckdb_reads(data) or "the DuckDB engine reads the standard columns only"
        click.echo(f"Many claims, read into memory: {why}.", err=True)
        chosen = "memory"
    if chosen == "memory":
        dataset = _load_for_serving(data, overrides, reopen=True)
        layouts = _layouts_with_progress(dataset, wait=wait)
        return create_app(dataset, layouts, hosts), printable(dataset.name)
    served, name = _duck_engine(data, overrides)
    layouts = _layouts_with_progress(served.network, wait=wait)
    return create_app(None, layouts, hosts, engine=served, name=name), printable(name)


def _duck_engine(data: Path, overrides: LoadOverrides):
    """The DuckDB engine on DATA: read and checked by DuckDB when DATA is in the standard
    columns; with the careful reader's options, read by it and then copied into DuckDB."""
    import time

    from dashboard.large_data import open_engine
    from dashboard.query.served import DuckEngine

    started = time.monotonic()
    if overrides != LoadOverrides(skip_invalid=overrides.skip_invalid):
        from dashboard.graph import Network

        dataset = _load_for_serving(data, overrides)
        click.echo("Copying the claims into DuckDB (options for the careful reader)", err=True)
        return DuckEngine.from_network(Network.from_dataset(dataset)), dataset.name

    def say(text: str) -> None:
        click.echo(f"[{time.monotonic() - started:6.1f} s] {text}", err=True)

    served, report = open_engine(data, skip_invalid=overrides.skip_invalid, say=say)
    if served is None:
        _fail(report)
    if report.problems:
        click.echo(report.format(max_per_kind=20), err=True)
    say(f"{served.full.n_claims:,} claims in DuckDB; serving from it")
    return served, data.name if data.is_dir() else data.stem


def _url_engine(data: Path, overrides: LoadOverrides, url: str):
    """The engine serving DATA's claims from the backend at ``url`` (any Ibis drives): DATA
    read here, as for memory, its claims written there, then let go (the server keeps
    the actor and edge index)."""
    from dashboard.graph import Network
    from dashboard.query.portable_served import (
        EngineUnavailable,
        connect,
        serve_from_url,
        shown_url,
    )

    try:
        connection = connect(url)  # before reading DATA: a wrong URL fails at once
    except EngineUnavailable as exc:
        _refuse_engine(exc)
    dataset = _load_for_serving(data, overrides)
    name = dataset.name
    network = Network.from_dataset(dataset)
    del dataset
    click.echo(
        f"Writing {network.n_claims:,} claims to {shown_url(url)} as table 'claims', "
        "replacing any table of that name: its actor, edge and source codes are this data "
        "set's, and the server reads it by them.",
        err=True,
    )
    try:
        served = serve_from_url(url, network, connection)
    except EngineUnavailable as exc:
        _refuse_engine(exc)
    engine_name = served.network.engine_name
    click.echo(f"{network.n_claims:,} claims in {engine_name}; serving from it", err=True)
    return served, name


def _refuse_engine(exc: Exception) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


def _layouts_with_progress(dataset, wait: bool):
    """The data set's layouts (or a network's), the default one under way with progress
    on the console."""
    import threading
    import time

    from dashboard.graph import Network
    from dashboard.positions.cache import LayoutCache
    from dashboard.positions.compute import DEFAULT_LAYOUT

    network = dataset if isinstance(dataset, Network) else Network.from_dataset(dataset)
    layouts = LayoutCache(network)
    started = time.monotonic()
    if layouts.ready_now(DEFAULT_LAYOUT).ready:
        return layouts

    def report() -> None:
        while not (status := layouts.status(DEFAULT_LAYOUT)).ready:
            if status.failed:
                click.echo(status.message, err=True)
                return
            click.echo(status.message, err=True)
            time.sleep(2)
        click.echo(f"Layout ready after {time.monotonic() - started:.1f} s.", err=True)

    reporter = threading.Thread(target=report, name="layout-progress", daemon=True)
    reporter.start()
    if wait:
        reporter.join()
    return layouts


def _load_for_serving(data: Path, overrides: LoadOverrides, reopen: bool = False):
    """The data set, read once and then from the cache (see dashboard/data/cache.py).
    ``reopen``: for a server, which then serves it mapped from its new cache entry."""
    from dashboard.data.cache import load_cached

    loaded = load_cached(data, overrides, progress=True, reopen=reopen)
    dataset, report = loaded.dataset, loaded.report
    if dataset is None:
        _fail(report)
    if report.problems:
        click.echo(report.format(max_per_kind=20), err=True)
    if loaded.from_cache:
        click.echo(
            f"Read {len(dataset.claims):,} claims checked before, from the cache "
            f"(unchanged files and settings; entry {loaded.key[:12]})",
            err=True,
        )
    return dataset


def _fail(report: Report) -> None:
    click.echo(report.format(max_per_kind=50), err=True)
    click.echo("Not serving: fix the errors above (see `dashboard check`).", err=True)
    sys.exit(1)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
