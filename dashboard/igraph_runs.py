"""Running igraph: seeded per run, one run at a time, and large runs in a child process.

igraph draws from one process-wide generator (Python's ``random`` module unless set),
and both the layouts (positions/) and the community detection (query/) draw from it.
:func:`seeded_igraph` gives a run its own seeded generator and puts the default back;
its one lock keeps two runs in different threads from swapping the generator under each
other. It costs no parallelism: igraph holds the GIL for a whole run. That is also why a
large run goes to :func:`in_child_process`: in the server's process it would freeze
every request for seconds.

>>> import random
>>> with seeded_igraph(7):
...     pass
>>> in_child_process(max, 2, 3)
3
"""

from __future__ import annotations

import multiprocessing
import random
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

IGRAPH_RANDOM = threading.Lock()


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
    """Run ``function(*args)`` in a fresh process and return its result.

    A spawned (not forked) child is safe however many threads this process has.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


def here(function, *args):
    """Run ``function(*args)`` in this process: :func:`in_child_process`'s small twin."""
    return function(*args)
