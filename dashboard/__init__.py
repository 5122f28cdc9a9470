"""Actor Network Dashboard: who is connected to whom, and on what evidence."""

from importlib.metadata import PackageNotFoundError, version

try:  # Dash fingerprints the page's own scripts with it (web/app.py)
    __version__ = version("actor-network-dashboard")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0"
