"""The demo loader (`manage.py load_demo`): the one place that knows every feature, just below
the project package. It provisions the demo municipalities and asks each feature for its part
(`core.demo`)."""
