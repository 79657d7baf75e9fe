"""The import wizard: employers and candidates from a spreadsheet (CSV or XLSX).

- `files`: reading an upload (limits, CSV/XLSX), nothing touches the database;
- `fields`: the known columns, guessing them from a header, parsing one cell;
- `rows`, `employers`, `candidates`: checking and writing the rows;
- `models`: `ImportJob` (app label `relations`, imported by `relations.models`);
- `services`: upload, mapping, checking and importing (used by the views and the tasks);
- `tasks`: the Celery tasks; `forms`, `views`, `urls`: the wizard's pages.

This package's `__init__` imports nothing: `relations.models` loads `imports.models` early.
"""
