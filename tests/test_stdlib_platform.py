"""`platform/` is a source folder, never a package: `import platform` stays the stdlib."""

import platform
import sys
import sysconfig
from pathlib import Path

from core.tasks import describe_worker

STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


def test_import_platform_is_the_standard_library_inside_django():
    import django.conf

    assert django.conf.settings.INSTALLED_APPS  # Django is configured and loaded
    assert Path(platform.__file__).resolve().parent == STDLIB
    assert platform.system() == "Linux"
    assert "platform" in sys.modules and sys.modules["platform"] is platform


def test_no_platform_package_in_the_repository():
    repo = Path(__file__).resolve().parent.parent
    assert not (repo / "platform" / "__init__.py").exists()


def test_import_platform_is_the_standard_library_in_a_celery_task():
    result = describe_worker.apply().get()
    assert Path(result["platform_module"]).resolve().parent == STDLIB
    assert result["system"] == "Linux"
