"""Running igraph: seeded per run, one run at a time, and large runs in a child process.

igraph draws from one process-wide generator (Python's ``random`` module unless set),
and both the layouts (positions/) and the community detection (query/) draw from it.
:func:`seeded_igraph` gives a run its own seeded generator and puts the default back;
its one lock keeps two runs in different threads from swapping the generator under each
other. It costs no parallelism: igraph holds the GIL for a whole run. That is also why a
large run goes to :func:`in_child_process`: in the server's process it would freeze
every request for seconds.

The child is a fresh Python that imports only the run's own module (the runs live in
positions/force.py and query/multilevel.py, which import numpy and igraph alone): at
1M claims a child that started as multiprocessing's do, importing the whole program
again (pandas, Dash, Plotly), held 0.33 GB, of which 0.14 GB were those imports.

>>> import random
>>> with seeded_igraph(7):
...     pass
>>> in_child_process(max, 2, 3)
3
"""

from __future__ import annotations

import pickle
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

IGRAPH_RANDOM = threading.Lock()
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the folder holding dashboard/
_CHILD_MAIN = "from dashboard.igraph_runs import run_for_parent; run_for_parent()"


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Run the block with igraph drawing from ``random.Random(seed)``, one run at a time."""
    import igraph as ig

    with IGRAPH_RANDOM:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def in_child_process(function, *args):
    """Run ``function(*args)`` in a fresh Python process and return its result.

    ``function`` must be importable by name, from a module that is light to import; its
    arguments and result travel pickled through the child's standard input and output.
    A new process (not a fork) is safe however many threads this process has.
    """
    code = f"import sys; sys.path.insert(0, {str(_PACKAGE_ROOT)!r}); {_CHILD_MAIN}"
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()[-3000:]
        raise ChildProcessError(f"{function.__qualname__} failed in a child process:\n{said}")
    return pickle.loads(done.stdout)


def run_for_parent() -> None:
    """The child's side of :func:`in_child_process`: run the function it is sent."""
    output = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever the run prints must not garble its result
    function, args = pickle.load(sys.stdin.buffer)
    pickle.dump(function(*args), output, protocol=pickle.HIGHEST_PROTOCOL)
    output.flush()


def here(function, *args):
    """Run ``function(*args)`` in this process: :func:`in_child_process`'s small twin."""
    return function(*args)
