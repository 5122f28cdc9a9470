"""Reading and validating actor-relation data. See the README for the format."""

from .config import ACTOR_COLUMNS, CLAIM_COLUMNS, LoadOverrides
from .loader import DataError, Dataset, load_dataset, load_or_raise
from .report import Problem, Report

__all__ = [
    "ACTOR_COLUMNS",
    "CLAIM_COLUMNS",
    "DataError",
    "Dataset",
    "LoadOverrides",
    "Problem",
    "Report",
    "load_dataset",
    "load_or_raise",
]
