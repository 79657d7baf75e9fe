"""Wagtail settings that close holes (issue 17): one login, and uploads that never run on our
origin. Imported by base.py; nothing here reads the environment."""

# One login (core.login): Wagtail's login forms redirect to allauth's, passwords are
# managed there, and pages and document collections cannot be protected by a shared password.
# (Wagtail's own login URLs stay: core.login answers them, sending anonymous visitors to
# allauth and refusing signed-in people who lack the right, instead of a redirect loop.)
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# Uploaded documents: only what a portal needs, checked against their content on upload
# (cms.documents), always downloaded as attachments (never shown inline on our origin), sent
# by Wagtail's permission-checking view.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "doc", "xls",
                          "ppt", "rtf", "txt", "csv", "png", "jpg", "jpeg"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.documents.SafeDocumentForm"
# Images are decoded completely on upload (cms.images): an unreadable one is a form error.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.SafeImageForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
