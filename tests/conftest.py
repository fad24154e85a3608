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


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files in tests/golden/ from the current output, then compare.",
    )


@pytest.fixture(scope="session")
def regen_golden(request) -> bool:
    """Whether to rewrite the golden files instead of trusting them (`pytest --regen-golden`)."""
    return request.config.getoption("--regen-golden")
