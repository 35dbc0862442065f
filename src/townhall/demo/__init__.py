"""Own the sample newsroom that `make demo` serves at /demo/."""
