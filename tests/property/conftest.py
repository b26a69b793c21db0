"""Hypothesis profiles for the property tests.

``ci`` (the default) is fast and deterministic: a fixed number of examples,
derandomized, no example database, no deadline (the first run of a plan
pays for building the parser). ``long`` searches much harder with fresh
randomness each run and keeps failures in the example database. Choose with
``HYPOTHESIS_PROFILE=long pytest tests/property``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    # The explain phase can cost minutes on a failure; CI wants the example fast.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=2_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
