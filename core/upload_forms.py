"""The Wagtail admin's image and document forms, with every new file checked by `core.uploads`.

Wagtail builds all its image and document forms (add, edit and replace a file, the multiple
uploader, the chooser's upload tab) from one base class each, named by the settings
`WAGTAILIMAGES_IMAGE_FORM_BASE` and `WAGTAILDOCS_DOCUMENT_FORM_BASE`; these are those classes.
They add one `clean_file`, so an error shows on the file field (the multiple uploader reports
exactly that field's errors) and the title, tags and collection the editor entered stay in the
re-displayed form. A file kept on edit is not checked again: only a new upload is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm
from wagtail.images.utils import get_allowed_image_extensions

from .uploads import DOCUMENT_TYPES, IMAGE_TYPES, validate_upload


class ImageForm(BaseImageForm):
    """Wagtail's image form; a new file must be an image of an allowed type and pixel count."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            allowed = IMAGE_TYPES & set(get_allowed_image_extensions())
            validate_upload(
                upload, allowed, getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", None)
            )
        return upload


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form; a new file's content must match its extension."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            extensions = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or DOCUMENT_TYPES
            allowed = {extension.lower() for extension in extensions}
            validate_upload(upload, allowed, getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None))
        return upload
