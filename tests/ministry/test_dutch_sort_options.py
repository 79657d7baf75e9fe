"""The ministry dashboard speaks Dutch in every option: the sort options were English because
their texts were marked with an alias makemessages does not know."""

from accounts.roles import Role
from tests.conftest import make_user
from tests.relations.conftest import logged_in


def test_the_sort_options_are_dutch(national, zoetermeer):
    analyst = make_user(national, Role.MINISTRY_ANALYST, "analist-sort@ministerie.example")
    client = logged_in(national, analyst)
    html = client.get("/ministerie/").content.decode()
    assert "deel van het doel reguliere banen" in html
    assert "share of" not in html
