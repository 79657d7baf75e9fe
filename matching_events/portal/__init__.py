"""The public side: pages behind links in e-mails, the employer sign-up, and the portal pages of
employer and candidate accounts; plus the workspace pages that manage those accounts."""
