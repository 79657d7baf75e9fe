"""HTML to PDF with WeasyPrint, without its side effect on Pillow.

Importing WeasyPrint sets Pillow's process-wide `ImageFile.LOAD_TRUNCATED_IMAGES` to True; in a
web or worker process that would make every later image upload (Wagtail) accept broken files
and take other code paths. The flag is put back after the import."""

from PIL import ImageFile


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        from weasyprint import HTML
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous
    return HTML(string=html, base_url=base_url).write_pdf()
