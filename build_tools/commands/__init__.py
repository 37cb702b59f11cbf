"""One module per command; :mod:`build_tools.cli` only parses arguments and calls them."""
