"""Public forms of the portal outside the page tree (the employer sign-up) and the pages of
portal accounts. (Placeholder until they land.)"""

urlpatterns: list = []
