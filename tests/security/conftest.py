"""Hypothesis profiles of the fuzz tests (tests/security/test_fuzz_*.py).

`ci` (the default) keeps both fuzz files under a minute on a small machine; a long run asks
for more examples with `HYPOTHESIS_PROFILE=long` (or `nightly`). Each test's own
`max_examples` is scaled by `fuzz_examples()`, so one profile switch raises them all."""

import os

from hypothesis import HealthCheck, settings

PROFILES = {"ci": 1, "long": 10, "nightly": 50}
SUPPRESSED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
              HealthCheck.filter_too_much, HealthCheck.data_too_large]

for _name, _factor in PROFILES.items():
    # No example database: it would be a folder in the checkout (.hypothesis/); a failure
    # prints its reproduction blob instead (@reproduce_failure).
    settings.register_profile(_name, deadline=None, suppress_health_check=SUPPRESSED,
                              print_blob=True, database=None, derandomize=_name == "ci")
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE if PROFILE in PROFILES else "ci")


def fuzz_examples(base: int) -> int:
    """`base` examples in the default profile, more in the long ones."""
    return base * PROFILES.get(PROFILE, 1)
