from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"


@pytest.fixture(scope="session")
def seed_elections():
    """The three bundled Derby articles, parsed and derived, keyed by year."""
    from derbyrdf.pipeline import load_elections

    return {e.year: e for e in load_elections()}
