"""Models of the import wizard (imported by relations.models)."""
