#!/usr/bin/env bash
# Werktop entrypoint: the same commands in the container image and on a developer machine.
#
#   entrypoint.sh web            gunicorn (werktop.wsgi) with infra/docker/gunicorn.conf.py
#   entrypoint.sh worker         Celery worker for $CELERY_QUEUES (default: all three queues)
#   entrypoint.sh beat           Celery beat (run exactly one; schedule in the database)
#   entrypoint.sh migrate        migrate_platform, then setup_platform (a one-off job per release)
#   entrypoint.sh manage ARGS    python manage.py ARGS
#   entrypoint.sh OTHER ARGS     runs OTHER ARGS as they are (a shell, for example)
#
# `python` comes from PATH (the image puts /app/.venv/bin first; on a developer machine put
# .venv/bin first). The final process replaces this script (exec), so it receives the signals.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-werktop.settings.production}"

log() {
    printf 'entrypoint: %s\n' "$*" >&2
}

# prometheus_client writes one file per process into PROMETHEUS_MULTIPROC_DIR; the folder must
# exist, and the web server empties it when it starts (files of processes that are gone).
metrics_dir() {
    local clean="${1:-}"
    [[ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]] || return 0
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    if [[ "$clean" == clean ]]; then
        find "$PROMETHEUS_MULTIPROC_DIR" -mindepth 1 -maxdepth 1 -type f -name '*.db' -delete
    fi
}

command="${1:-web}"
if [[ $# -gt 0 ]]; then
    shift
fi

case "$command" in
    web)
        metrics_dir clean
        log "web: gunicorn on port ${PORT:-8000} (${DJANGO_SETTINGS_MODULE})"
        exec python -m gunicorn werktop.wsgi:application \
            --config "$ROOT/infra/docker/gunicorn.conf.py" "$@"
        ;;
    worker)
        metrics_dir
        queues="${CELERY_QUEUES:-urgent,default,background}"
        log "worker: queues ${queues}"
        exec python -m celery --app werktop worker \
            --queues "$queues" \
            --concurrency "${CELERY_CONCURRENCY:-2}" \
            --max-tasks-per-child "${CELERY_MAX_TASKS_PER_CHILD:-1000}" \
            --loglevel "${LOG_LEVEL:-INFO}" \
            --without-mingle --without-gossip \
            "$@"
        ;;
    beat)
        metrics_dir
        # The schedule lives in the database (django-celery-beat's DatabaseScheduler, see
        # CELERY_BEAT_SCHEDULER); the pid file guards against a second beat in this container.
        pidfile="${CELERY_BEAT_PIDFILE:-/tmp/celerybeat.pid}"
        log "beat: pid file ${pidfile}"
        exec python -m celery --app werktop beat \
            --loglevel "${LOG_LEVEL:-INFO}" \
            --pidfile "$pidfile" \
            --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" \
            "$@"
        ;;
    migrate)
        metrics_dir  # an emptyDir on /tmp (Kubernetes) hides the image's folder
        # Migrations take a session-level advisory lock and set the schema per session: they
        # need a direct connection to PostgreSQL, not PgBouncer in transaction mode.
        if [[ -n "${MIGRATE_DATABASE_URL:-}" ]]; then
            export DATABASE_URL="$MIGRATE_DATABASE_URL"
            unset DATABASE_POOL_MODE
        elif [[ "${DATABASE_POOL_MODE:-}" == transaction ]]; then
            log "migrate: DATABASE_POOL_MODE=transaction; set MIGRATE_DATABASE_URL to a direct connection"
            exit 2
        fi
        # Public schema, template and every municipality (in parallel, skipped when no migration
        # changed), then the national site, the template's contents, roles and beat schedule.
        migrate_args=()
        if [[ -n "${MIGRATE_PROCESSES:-}" ]]; then
            migrate_args+=(--processes "$MIGRATE_PROCESSES")
        fi
        log "migrate: migrate_platform ${migrate_args[*]:-}"
        # (the +"..." form: an empty array under `set -u` in the bash 3 of macOS too)
        python manage.py migrate_platform ${migrate_args[@]+"${migrate_args[@]}"} "$@"
        log "migrate: setup_platform"
        exec python manage.py setup_platform
        ;;
    manage)
        metrics_dir
        exec python manage.py "$@"
        ;;
    *)
        exec "$command" "$@"
        ;;
esac
