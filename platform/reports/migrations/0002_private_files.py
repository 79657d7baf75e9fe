"""Report files move to private storage (core.files), outside MEDIA_ROOT, under unguessable
names. No column changes: only where the files live."""

from functools import partial

from django.db import migrations, models

import core.files

move_reports = partial(core.files.move_into_private_storage, model="reports.Report",
                       fields=("pdf", "xlsx"), folder="reports")


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="pdf",
            field=models.FileField(blank=True, storage=core.files.get_private_storage,
                                   upload_to=core.files.UnguessableName("reports"),
                                   verbose_name="PDF"),
        ),
        migrations.AlterField(
            model_name="report",
            name="xlsx",
            field=models.FileField(blank=True, storage=core.files.get_private_storage,
                                   upload_to=core.files.UnguessableName("reports"),
                                   verbose_name="spreadsheet"),
        ),
        migrations.RunPython(move_reports, migrations.RunPython.noop),
    ]
