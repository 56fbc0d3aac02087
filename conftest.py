"""Root conftest: pytest-jupyter's server fixtures (jp_serverapp, ...) for tests/test_server_*.py."""

pytest_plugins = ["pytest_jupyter.jupyter_server"]
