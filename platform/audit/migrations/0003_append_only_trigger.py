"""The audit trail is append-only in the database itself, not only in the code: a trigger
refuses DELETE, TRUNCATE and every UPDATE except one, setting `actor_id` to NULL with every
other column unchanged (Django's on_delete=SET_NULL when an account is removed; the entry
keeps `actor_label`). Removing a municipality drops its whole schema, which no trigger stops.

The function and triggers live in each municipality's schema (unqualified names, created with
the tenant's search path); new municipalities get them with the clone of the template."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_auditentry_no_change
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();
CREATE TRIGGER audit_auditentry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_append_only();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_auditentry_no_change ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_auditentry_append_only();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_alter_auditentry_action"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
