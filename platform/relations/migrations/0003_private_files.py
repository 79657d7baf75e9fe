"""CVs and import spreadsheets move to private storage (core.files), outside MEDIA_ROOT, under
unguessable names. No column changes: only where the files live."""

from functools import partial

from django.db import migrations, models

import core.files

move_cvs = partial(core.files.move_into_private_storage, model="relations.Candidate",
                   fields=("cv",), folder="cv")
move_imports = partial(core.files.move_into_private_storage, model="relations.ImportJob",
                       fields=("file",), folder="imports")


class Migration(migrations.Migration):

    dependencies = [
        ("relations", "0002_importjob"),
    ]

    operations = [
        migrations.AlterField(
            model_name="candidate",
            name="cv",
            field=models.FileField(blank=True, storage=core.files.get_private_storage,
                                   upload_to=core.files.UnguessableName("cv"),
                                   verbose_name="CV (optional)"),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=models.FileField(blank=True, storage=core.files.get_private_storage,
                                   upload_to=core.files.UnguessableName("imports"),
                                   verbose_name="file"),
        ),
        migrations.RunPython(move_cvs, migrations.RunPython.noop),
        migrations.RunPython(move_imports, migrations.RunPython.noop),
    ]
