# Two commands for a newcomer: `make run` (platform with demo data) and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := $(PY) manage.py
# Markers (pyproject.toml) that make test-fast leaves out; tests/conftest.py marks whole folders.
FAST := not e2e and not faults and not slow and not benchmark
I18N_IGNORE := --ignore=.venv --ignore=.tools --ignore=node_modules --ignore=.local --ignore=infra

.PHONY: install system-deps services stop migrate demo run test test-fast bench lint structure vendor-css messages image

install:  ## virtual environment with the locked dependencies
	@infra/dev/install.sh >/dev/null

system-deps:  ## Debian packages the tests need (redis-server, chromium, pgbouncer), when missing
	@infra/dev/system-deps.sh test

services: install  ## project-local PostgreSQL and Redis
	@infra/dev/system-deps.sh run
	@infra/dev/services.sh start

stop:  ## stop what make run / make test started
	-@pkill -f "[h]oncho start -f $(CURDIR)/infra/dev/Procfile" 2>/dev/null || true
	@infra/dev/services.sh stop

migrate: services  ## migrate the public schema, the template and every municipality
	@DJANGO_SETTINGS_MODULE=werktop.settings.dev $(MANAGE) migrate_schemas --noinput -v 0
	@DJANGO_SETTINGS_MODULE=werktop.settings.dev $(MANAGE) setup_platform

demo: migrate  ## demo municipalities, users per role and fictitious data
	@DJANGO_SETTINGS_MODULE=werktop.settings.dev $(MANAGE) load_demo

run: demo  ## the platform with demo data on http://localhost:8000/
	@DJANGO_SETTINGS_MODULE=werktop.settings.dev .venv/bin/honcho start -f $(CURDIR)/infra/dev/Procfile -d $(CURDIR)

test: system-deps services  ## the whole test suite
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) -m pytest $(PYTEST_ARGS)

test-fast: services  ## the quick loop: the suite without browsers, fault drills and slow groups
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) -m pytest -m "$(FAST)" $(PYTEST_ARGS)

bench: services  ## provisioning, migration, list/import, portal, registration, table-plan, report, ministry, billing and 10-minute mixed-load benchmarks (figures for this machine)
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_provisioning.py
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_relations.py
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_portal.py
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_registrations.py
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_registrations.py --concurrency 20
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_tableplan.py
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_friday_report.py
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_ministry.py
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_billing.py
	@DJANGO_SETTINGS_MODULE=werktop.settings.test $(PY) tests/benchmarks/bench_migrate_platform.py
	@$(PY) tests/benchmarks/bench_load.py

lint: install  ## ruff, bandit (no finding of medium or high severity), the layer order (import-linter), mypy against its baseline
	@.venv/bin/ruff check .
	@.venv/bin/bandit -q -r platform tenants cms matching_events -x '*/migrations/*' --severity-level medium
	@.venv/bin/lint-imports --no-cache
	@$(PY) infra/dev/mypy_check.py

structure: install  ## arrows against the layer order, import cycles, imports inside functions, lines per room
	@$(PY) infra/dev/structure.py

vendor-css:  ## re-vendor the NL Design System CSS from the npm lock file
	@infra/nlds/vendor.sh

messages: install  ## update and compile the Dutch translations (platform/core/locale)
	@$(MANAGE) makemessages -l nl --no-obsolete -v 0 $(I18N_IGNORE)
	@$(MANAGE) compilemessages -l nl -v 0 $(I18N_IGNORE)

image:  ## the container image for web, worker, beat and migrate (needs Docker)
	docker build -f infra/docker/Dockerfile -t werktop:latest .
