"""The ``dashboard`` command: ``run`` serves the explorer, ``check`` validates data."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from dashboard.data import LoadOverrides, Report, load_dataset
from dashboard.text import plural

BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


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
            type=click.Choice(["from", "to"]),
            help="This column may name several actors in one cell: one claim per pair.",
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
            "--skip-invalid",
            is_flag=True,
            help="Load the valid rows; leave out (and list) the rows with errors.",
        ),
    ]

    @functools.wraps(command)
    def with_overrides(*args, mappings, delimiter, encoding, no_header, missing, date_order, list_columns,
                       list_separator, relation_labels, skip_invalid, **kwargs):  # fmt: skip
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
        )
        return command(*args, overrides=overrides, **kwargs)

    for option in reversed(options):
        with_overrides = option(with_overrides)
    return with_overrides


_data_argument = click.argument(
    "data", required=False, type=click.Path(path_type=Path), default=None
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
    help="List at most this many problems of one kind (0: all).",
)
@_load_options
def check(data: Path, overrides: LoadOverrides, max_per_kind: int) -> None:
    """Validate DATA without serving it. Exits 1 if there are errors."""
    dataset, report = load_dataset(data, overrides, progress=True)
    click.echo(report.format(max_per_kind or None))
    if dataset is not None:
        claims, actors = dataset.claims, dataset.actors
        verified = int(claims["verified"].sum())
        click.echo(
            f"{plural(len(claims), 'claim')}, {plural(len(actors), 'actor')}; "
            f"{plural(verified, 'quote')} verified against local copies of their documents"
        )
    sys.exit(1 if report.has_errors else 0)


@main.command()
@_data_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option("--debug", is_flag=True, help="Dash dev tools and reloading; never on a public host.")
@_load_options
def run(data: Path | None, overrides: LoadOverrides, host: str, port: int, debug: bool) -> None:
    """Serve the explorer on DATA (default: the bundled data set)."""
    from dashboard.web.app import create_app

    dataset = _load_for_serving(data or BUNDLED_DATA, overrides)
    _warn_if_public(host)
    layouts = _layouts_with_progress(dataset, wait=False)
    app = create_app(dataset, layouts)
    click.echo(f"Serving {dataset.name} on http://{_url_host(host)}:{port}/ (Ctrl+C to stop)")
    if debug:
        app.run(host=host, port=port, debug=True)
    else:
        from waitress import serve

        serve(app.server, host=host, port=port, threads=8, _quiet=True)


EXPORT_FORMATS = ("png", "svg", "pdf", "csv", "graphml", "gexf")


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write; its extension picks the format: " + ", ".join(EXPORT_FORMATS) + ".",
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
    "--scale", default=2.0, show_default=True, type=click.FloatRange(0.5, 6), help="PNG scale."
)
@_load_options
def export(
    data: Path, out: Path, query: str, title: str | None, scale: float, overrides: LoadOverrides
) -> None:
    """Write the view of DATA that --state names: a report figure or its data."""
    from dashboard.draw.report_figure import ExportError, render_image, report_figure
    from dashboard.export.data_files import claims_csv, graph_file
    from dashboard.graph import Network
    from dashboard.positions.cache import LayoutCache
    from dashboard.query.filters import apply_filters
    from dashboard.web.url_codec import from_query

    file_format = out.suffix.lower().lstrip(".")
    if file_format not in EXPORT_FORMATS:
        raise click.BadParameter(
            f"use one of: {', '.join('.' + f for f in EXPORT_FORMATS)}", param_hint="--out"
        )
    dataset = _load_for_serving(data, overrides)
    network = Network.from_dataset(dataset)
    state, notices = from_query(query, network)
    for notice in notices:
        click.echo(f"warning: --state: {notice}; ignored", err=True)
    view = apply_filters(network, state.filters)
    if file_format == "csv":
        out.write_text(claims_csv(view), encoding="utf-8")
    elif file_format in ("graphml", "gexf"):
        out.write_bytes(graph_file(view, file_format))
    else:
        positions = LayoutCache(network).get(state.layout)  # the page's layout, from disk if cached
        figure = report_figure(view, positions, state, title or dataset.name, dataset.name)
        try:
            out.write_bytes(render_image(figure, file_format, scale))
        except ExportError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    click.echo(f"Wrote {out} ({view.counts_text()})")


@main.command()
@_data_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
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
@_load_options
def serve(
    data: Path | None, overrides: LoadOverrides, host: str, port: int, workers: int, threads: int
) -> None:
    """Serve DATA to many users through gunicorn's worker processes (Unix).

    The data and its layout are loaded once, before the workers start, and shared.
    """
    from dashboard.serving import serve_with_gunicorn
    from dashboard.web.app import create_app

    dataset = _load_for_serving(data or BUNDLED_DATA, overrides)
    _warn_if_public(host)
    layouts = _layouts_with_progress(dataset, wait=True)
    app = create_app(dataset, layouts)
    click.echo(f"Serving {dataset.name} on http://{_url_host(host)}:{port}/ with {workers} workers")
    serve_with_gunicorn(app.server, host, port, workers, threads)


def _warn_if_public(host: str) -> None:
    if host not in LOCAL_HOSTS:
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine can read the data",
            err=True,
        )


def _layouts_with_progress(dataset, wait: bool):
    """The data set's layouts, the default one under way with progress on the console."""
    import threading
    import time

    from dashboard.graph import Network
    from dashboard.positions.cache import LayoutCache
    from dashboard.positions.compute import DEFAULT_LAYOUT

    layouts = LayoutCache(Network.from_dataset(dataset))
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


def _load_for_serving(data: Path, overrides: LoadOverrides):
    dataset, report = load_dataset(data, overrides, progress=True)
    if dataset is None:
        _fail(report)
    if report.problems:
        click.echo(report.format(max_per_kind=20), err=True)
    return dataset


def _fail(report: Report) -> None:
    click.echo(report.format(max_per_kind=50), err=True)
    click.echo("Not serving: fix the errors above (see `dashboard check`).", err=True)
    sys.exit(1)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
