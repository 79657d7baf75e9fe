"""Settings, layered: base (everything read from the environment) -> dev / test / production."""
