from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the municipality (staff) or through the portal's own flows
    (employers, candidates), never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
