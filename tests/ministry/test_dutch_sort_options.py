"""The ministry dashboard speaks Dutch in every option: the sort options were English because
their texts were marked with an alias makemessages does not know."""

from accounts.roles import Role
from tests.conftest import PASSWORD, client_for, make_user


def test_the_sort_options_are_dutch(national, zoetermeer):
    analyst = make_user(national, Role.MINISTRY_ANALYST, "analist-sort@ministerie.example")
    client = client_for(national)
    assert client.post("/account/login/", {"login": analyst.email,
                                           "password": PASSWORD}).status_code == 302
    html = client.get("/ministerie/").content.decode()
    assert "deel van het doel reguliere banen" in html
    assert "share of" not in html
